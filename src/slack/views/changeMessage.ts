import type { Button } from '@slack/types';
import type { ChangeView, GateView, IncidentSnapshot } from '../../app/ports.js';
import { formatDuration } from '../../domain/duration.js';
import type { GateCheckResult } from '../../domain/gates.js';
import { type Blocks, actions, button, mention, section, slackDate, userText } from '../../blockKit/blocks.js';

/**
 * The parts of the live message that differ for a change: where it stands instead of an escalation level, its
 * GO/NO-GO gates with the buttons of the gate at hand, and a bar without Acknowledge or Escalate (a change
 * pages nobody).
 */

const VERDICT = { pass: ':white_check_mark:', degraded: ':large_yellow_circle:', fail: ':x:' } as const;

/** The change's standing, for the Status field. */
export function changeStanding(snapshot: IncidentSnapshot, change: ChangeView): string {
  const { progress, watch } = change;
  if (watch?.standing === 'tripped' && snapshot.incident.status !== 'resolved')
    return `:rotating_light: Watch tripped${watch.opened ? `: ${watch.opened} opened` : ''}`;
  if (watch?.standing === 'watching' && snapshot.incident.status !== 'resolved') {
    const ends = Math.max(...watch.windows.map((w) => w.endsAt.getTime()));
    return `:eyes: Watching until ${slackDate(new Date(ends))}`;
  }
  if (snapshot.incident.status === 'resolved')
    return progress.kind === 'completed' ? ':white_check_mark: Completed' : ':no_entry: Ended';
  switch (progress.kind) {
    case 'in-phase':
      return ':large_blue_circle: In progress';
    case 'at-gate':
      return `:vertical_traffic_light: At gate ${progress.gate}`;
    case 'halted':
      return `:octagonal_sign: Halted at gate ${progress.gate} (NO-GO)`;
    case 'completed':
      return ':white_check_mark: Completed';
  }
}

/** The Gate field: how many gates are GO, and the phase now. */
export function gateField(change: ChangeView): string {
  const go = change.gates.filter((g) => g.state.state === 'go').length;
  const phase = change.progress.kind === 'in-phase' && change.progress.phase;
  return `*Gates*\n${go} of ${change.gates.length} GO${phase ? ` · ${userText(phase, 80)}` : ''}`;
}

export function gateBlocks(snapshot: IncidentSnapshot, change: ChangeView): Blocks {
  if (change.gates.length === 0) return [];
  const lines = change.gates.map((g) => gateLine(g));
  const blocks: Blocks = [section(`*Gates*\n${lines.join('\n')}`, { block_id: 'change.gates' })];
  const atHand = change.gates.find((g) => change.progress.kind === 'at-gate' && change.progress.gate === g.number);
  if (atHand && snapshot.incident.status !== 'resolved')
    blocks.push(actions(`gate.${atHand.number}.actions`, gateButtons(snapshot, atHand)));
  return blocks;
}

const WINDOW_STATE = {
  watching: ':hourglass_flowing_sand:',
  passed: ':white_check_mark:',
  tripped: ':rotating_light:',
  stopped: ':black_square_for_stop:',
} as const;

/** The post-deploy watch: each window's checks, how often, until when, and how its runs went. */
export function watchBlocks(change: ChangeView, failuresToTrip: number | undefined): Blocks {
  const { watch } = change;
  if (!watch) return [];
  const lines = watch.windows.map((w) => {
    const checks = w.checks.map((c) => `\`${userText(c, 40)}\``).join(', ');
    const last =
      w.lastStatus && w.lastRunAt ? ` · last ${VERDICT[w.lastStatus]} ${slackDate(w.lastRunAt, '{time}')}` : '';
    const failing = w.failuresInARow
      ? ` · ${w.failuresInARow}${failuresToTrip ? ` of ${failuresToTrip}` : ''} failed in a row`
      : '';
    const until = w.state === 'watching' ? ` until ${slackDate(w.endsAt)}` : ` · ${w.state}`;
    return `${WINDOW_STATE[w.state]} ${checks} every ${formatDuration(w.everyMs)}${until} · ${w.runs} runs${last}${failing}`;
  });
  const opened = watch.opened ? `\nOpened ${watch.opened}: the change's rollback is its first button.` : '';
  return [section(`*Post-deploy watch*\n${lines.join('\n')}${opened}`, { block_id: 'change.watch' })];
}

function gateLine(g: GateView): string {
  const title = `${g.number}. ${userText(g.title, 150)}`;
  const { state } = g;
  switch (state.state) {
    case 'waiting': {
      const checks = g.checks.length ? ` · checks ${g.checks.map((c) => `\`${userText(c, 40)}\``).join(', ')}` : '';
      return `:white_large_square: ${title} — after step ${g.afterStep}${checks}`;
    }
    case 'checked':
      return `:mag: ${title} — checked ${slackDate(state.at, '{time}')}: ${verdicts(state.results)}`;
    case 'go':
      return `:large_green_circle: ${title} — *GO* by ${mention(state.by)} ${slackDate(state.at, '{time}')}`;
    case 'no-go':
      return `:red_circle: ${title} — *NO-GO* by ${mention(state.by)} ${slackDate(state.at, '{time}')}`;
  }
}

const verdicts = (results: readonly GateCheckResult[]) =>
  results.map((r) => `${VERDICT[r.status]} ${userText(r.check, 40)}`).join(', ') || 'nothing ran';

function gateButtons(snapshot: IncidentSnapshot, g: GateView): Button[] {
  const value = `${snapshot.incident.id}:${g.number}`;
  const buttons: Button[] = [];
  if (g.checks.length) buttons.push(button('Run gate checks', `gate.check.${g.number}`, value));
  if (g.goOffered)
    buttons.push(
      button('GO', `gate.go.${g.number}`, value, {
        style: 'primary',
        confirm: { title: `GO at gate ${g.number}?`, text: userText(g.title, 200), confirm: 'GO' },
      }),
    );
  buttons.push(
    button('NO-GO', `gate.nogo.${g.number}`, value, {
      style: 'danger',
      confirm: {
        title: `NO-GO at gate ${g.number}?`,
        text: 'The change halts here and its rollback is offered.',
        confirm: 'NO-GO',
      },
    }),
  );
  return buttons;
}

/** A change's bar: Timeline (and Report once it has ended); it ends by its last gate or `/incident change abort`. */
export function changeBarButtons(snapshot: IncidentSnapshot): Button[] {
  const value = String(snapshot.incident.id);
  const buttons = [button('Timeline', 'incident.timeline', value)];
  if (snapshot.incident.status === 'resolved') buttons.push(button('Report', 'incident.report', value));
  return buttons;
}
