import { sayWhen } from '../../domain/oncallTime.js';
import { codeSpan } from '../../domain/text.js';
import type { OnCallRefusal } from '../../errors.js';

// A person on a schedule is always a Slack user (never the bot's `system` actor, which `mention` renames).
const who = (user: string) => `<@${user}>`;
const quoted = (names: readonly string[]) => names.map((n) => codeSpan(n)).join(', ');
const span = (s: { start: Date; end: Date }, zone: string, now: Date) =>
  `${sayWhen(s.start, zone, now)} – ${sayWhen(s.end, zone, now)}`;

export const NO_SCHEDULES = 'This bot has no on-call schedules yet; add them under `schedules:` in its config.';

/** The on-call commands' refusals, each worded once: what cannot be done, and what to type instead. */
export function onCallRefusalSentence(refusal: OnCallRefusal): string {
  switch (refusal.kind) {
    case 'no-schedules':
      return NO_SCHEDULES;
    case 'no-schedule': {
      const didYouMean = refusal.closest.length ? ` Did you mean ${quoted(refusal.closest)}?` : '';
      return `There is no schedule ${codeSpan(refusal.typed)}.${didYouMean} The schedules are ${quoted(refusal.names)}.`;
    }
    case 'cannot-be-on-call':
      return refusal.why === 'deactivated'
        ? `${who(refusal.typed)} is deactivated in this workspace, so they cannot be on call; pick someone else.`
        : refusal.why === 'no-such-id'
          ? `Slack has no user ${codeSpan(refusal.typed)} in this workspace; mention them: \`@\` and pick a name.`
          : `There is nobody called ${codeSpan(refusal.typed)} in this workspace; mention them: \`@\` and pick a name.`;
    case 'override-too-long': {
      const { start, end, zone, now } = refusal;
      return (
        `An override covers at most 90 days; that one runs from ${sayWhen(start, zone, now)} until ${sayWhen(end, zone, now)} ` +
        `(${zone}). Change the rotation in the config for longer.`
      );
    }
    case 'swap-with-self':
      return 'A swap needs two different people.';
    case 'no-shift-to-swap':
      return `${who(refusal.user)} has no shift on ${codeSpan(refusal.schedule)} in the next 8 weeks, so there is nothing to swap.`;
    case 'swap-overlaps': {
      const { user, shift, override, zone, now } = refusal;
      return (
        `${who(user)}'s shift (${span(shift, zone, now)}) overlaps ${override.kind} #${override.id} ` +
        `(${who(override.user)}, ${span(override, zone, now)}), so the swap is refused. ` +
        `Remove it first (\`/incident oncall override remove ${override.id}\`) ` +
        'or use `/incident oncall override` for a part of the shift.'
      );
    }
    case 'no-override':
      return `There is no override #${refusal.id} to remove (it may be removed already). \`/incident oncall\` lists them.`;
    case 'override-removed-already':
      return `Override #${refusal.id} was removed already.`;
  }
}
