import type { OnCallView, Reply } from '../../app/replies.js';
import { type SlackMessage, context, mention, section, userText } from '../../blockKit/blocks.js';
import type { Shift } from '../../domain/oncall.js';
import { sayWhen } from '../../domain/oncallTime.js';
import type { StoredOverride } from '../../store/overrides.js';
import { NO_SCHEDULES } from './oncallRefusals.js';

/** `/incident oncall` and the answers to overrides and swaps: pure functions of what the use case found. */

const someone = (user: string | null) => (user ? mention(user) : '_nobody_');

function shiftLine(label: string, shift: Shift, zone: string, now: Date): string {
  const from = shift.start.getTime() <= now.getTime() ? 'since' : 'from';
  const where = shift.overrideId
    ? ` (override #${shift.overrideId})`
    : shift.layer
      ? ` (${userText(shift.layer, 40)})`
      : '';
  return `${label}: ${someone(shift.user)}${where} ${from} ${sayWhen(shift.start, zone, now)} until ${sayWhen(shift.end, zone, now)}`;
}

function overrideLine(o: StoredOverride, zone: string, now: Date): string {
  const instead = o.replaces ? ` instead of ${mention(o.replaces)}` : '';
  const kind = o.kind === 'swap' ? 'swap' : 'override';
  const span = `${sayWhen(o.start, zone, now)} – ${sayWhen(o.end, zone, now)}`;
  return `#${o.id} ${kind}: ${mention(o.user)}${instead}, ${span} (made by ${mention(o.createdBy)})`;
}

function scheduleBlocks(view: OnCallView, now: Date) {
  const title = view.title ? `${userText(view.title, 80)} (\`${view.id}\`)` : `\`${view.id}\``;
  const lines = [
    shiftLine('Now', view.current, view.zone, now),
    ...(view.next ? [shiftLine('Next', view.next, view.zone, now)] : []),
  ];
  const overrides = view.overrides.slice(0, 10).map((o) => overrideLine(o, view.zone, now));
  return [
    section(`*${title}*\n${lines.join('\n')}`),
    ...(overrides.length ? [context(`Overrides:\n${overrides.join('\n')}`)] : []),
  ];
}

export function onCallMessage(reply: Extract<Reply, { kind: 'oncall' }>): SlackMessage {
  if (reply.schedules.length === 0) return { text: NO_SCHEDULES, blocks: [section(NO_SCHEDULES)] };
  const zones = [...new Set(reply.schedules.map((s) => s.zone))];
  const summary = reply.schedules
    .map((s) => `${s.id}: ${s.current.user ? `<@${s.current.user}>` : 'nobody'}`)
    .join(', ');
  return {
    text: `On call now: ${summary}`,
    blocks: [
      ...reply.schedules.slice(0, 20).flatMap((s) => scheduleBlocks(s, reply.now)),
      context(
        `Times in ${zones.join(', ')}. \`/incident oncall override <schedule> @someone 2h\` covers a shift; ` +
          '`/incident oncall swap <schedule> @a @b` trades two.',
      ),
    ],
  };
}

export function onCallChangedMessage(reply: Extract<Reply, { kind: 'oncall-changed' }>): SlackMessage {
  const lines = reply.overrides.map((o) => overrideLine(o, reply.zone, reply.now));
  const head =
    reply.change === 'removed'
      ? `Removed from \`${reply.schedule}\`; the rotation applies again for that time:`
      : reply.change === 'swap'
        ? `Swapped on \`${reply.schedule}\`:`
        : `Override on \`${reply.schedule}\`:`;
  const now = shiftLine('On call now', reply.onCall, reply.zone, reply.now);
  return {
    text: `${head} ${lines.join('; ')}`,
    blocks: [section(`${head}\n${lines.join('\n')}`), context(`${now}. Times in ${reply.zone}.`)],
  };
}
