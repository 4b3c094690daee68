import type { Button } from '@slack/types';
import type { IncidentSnapshot, RollbackView } from '../../app/ports.js';
import { formatDuration } from '../../domain/duration.js';
import type { DeadlineView } from '../../domain/deadlines.js';
import type { IncidentStatus } from '../../domain/incident.js';
import { severityLabel } from '../../domain/severity.js';
import { type StepStatus, progress, runnerOf } from '../../domain/steps.js';
import {
  LIMITS,
  type Blocks,
  type SlackMessage,
  actions,
  button,
  context,
  divider,
  header,
  mention,
  section,
  slackDate,
  userText,
} from '../../blockKit/blocks.js';
import { changeBarButtons, changeStanding, gateBlocks, gateField, watchBlocks } from './changeMessage.js';

const STATUS: Record<IncidentStatus, string> = {
  open: ':red_circle: Open',
  acknowledged: ':large_yellow_circle: Acknowledged',
  mitigated: ':large_blue_circle: Mitigated',
  resolved: ':white_check_mark: Resolved',
};

const SEVERITY_ICON = {
  sev1: ':rotating_light:',
  sev2: ':warning:',
  sev3: ':small_orange_diamond:',
  sev4: ':small_blue_diamond:',
} as const;

const STEP_STATE: Record<StepStatus['state'], string> = {
  pending: ':white_large_square: Pending',
  running: ':hourglass_flowing_sand: Running',
  done: ':white_check_mark: Done',
  skipped: ':fast_forward: Skipped',
  failed: ':x: Failed',
};

const RUN_LABEL = { check: 'Run check', token: 'Refresh token', action: 'Run action' } as const;

/** Blocks kept for the header, fields, gates, bar and footer; the rest is for steps. */
const RESERVED_BLOCKS = 15;

/**
 * The live incident message: a pure function of the incident's state in
 * PostgreSQL. It always fits Slack's limits: finished steps collapse first,
 * then the steps past the budget are summarised with the command to reach them.
 */
export function incidentMessage(snapshot: IncidentSnapshot): SlackMessage {
  const { incident, steps, change } = snapshot;
  const resolved = incident.status === 'resolved';
  const { finished, total } = progress(steps);
  const { source } = incident.playbook;
  const levelOf = snapshot.levelCount ? ` of ${snapshot.levelCount}` : '';
  const levelName = snapshot.levelName ? ` · ${userText(snapshot.levelName, 80)}` : '';
  const blocks: Blocks = [
    header(`${resolved ? '✅' : ''}${incident.key} · ${incident.title}`),
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Severity*\n${SEVERITY_ICON[incident.severity]} ${severityLabel(incident.severity)}` },
        { type: 'mrkdwn', text: `*Status*\n${change ? changeStanding(snapshot, change) : STATUS[incident.status]}` },
        {
          type: 'mrkdwn',
          text: change ? gateField(change) : `*Escalation*\nLevel ${incident.escalationLevel}${levelOf}${levelName}`,
        },
        { type: 'mrkdwn', text: `*${change ? 'Lead' : 'Commander'}*\n${mention(incident.commander)}` },
        { type: 'mrkdwn', text: `*Opened*\n${slackDate(incident.openedAt)} by ${mention(incident.openedBy)}` },
        {
          type: 'mrkdwn',
          text:
            resolved && incident.resolvedAt
              ? `*Resolved*\nafter ${formatDuration(incident.resolvedAt.getTime() - incident.openedAt.getTime())}`
              : `*Steps*\n${finished} of ${total} finished`,
        },
        ...(incident.summary
          ? [{ type: 'mrkdwn' as const, text: `*Summary*\n${userText(incident.summary, 500)}` }]
          : []),
      ],
    },
    context(
      `Playbook \`${incident.playbookId}\` · source: document ${source.document}, ${userText(source.section, 200)}`,
    ),
    divider(),
    ...stepBlocks(snapshot, LIMITS.messageBlocks - RESERVED_BLOCKS),
    divider(),
    ...(change ? gateBlocks(snapshot, change) : []),
    ...(change ? watchBlocks(change, incident.playbook.watch?.failures_in_a_row) : []),
    ...deadlineBlocks(snapshot),
    ...rollbackBlocks(snapshot),
    actions('incident.bar', change ? changeBarButtons(snapshot) : barButtons(snapshot)),
    context(
      `${resolved ? 'Closed' : 'Live'} · updated to version ${incident.version} · \`/incident help\` for commands`,
    ),
  ];
  const status = change ? change.progress.kind : incident.status;
  const state = `${status}, ${severityLabel(incident.severity)}, ${finished}/${total} steps`;
  const text = `${incident.key} ${userText(incident.title, 150)}: ${state}`;
  return { text, blocks: blocks.slice(0, LIMITS.messageBlocks) };
}

function stepLine(snapshot: IncidentSnapshot, s: StepStatus): string {
  const who = s.actor ? ` by ${mention(s.actor)}` : '';
  const when = s.changedAt ? ` · ${slackDate(s.changedAt, '{time}')}` : '';
  const detail = s.state === 'failed' && s.detail ? `: ${userText(s.detail, 300)}` : '';
  return `${STEP_STATE[s.state]}${who}${when}${detail}`;
}

function stepBlocks(snapshot: IncidentSnapshot, budget: number): Blocks {
  const { incident, steps } = snapshot;
  const closed = incident.status === 'resolved';
  const isFinished = (s: StepStatus) => closed || s.state === 'done' || s.state === 'skipped';
  const cost = (s: StepStatus) => (isFinished(s) ? 1 : 2);
  const full = steps.reduce((sum, s) => sum + cost(s), 0) <= budget;
  const blocks: Blocks = [];
  let used = 0;
  const finished = steps.filter(isFinished);
  if (!full && finished.length > 0) {
    // Collapse the finished steps into one block so the open ones keep their buttons.
    const lines = finished.map(
      (s) => `${s.step}. ${userText(incident.playbook.steps[s.step - 1]!.title, 80)} — ${stepLine(snapshot, s)}`,
    );
    blocks.push(section(`*Finished (${finished.length})*\n${lines.join('\n')}`));
    used = 1;
  }
  const shown = full ? steps : steps.filter((s) => !isFinished(s));
  let hidden = 0;
  for (const s of shown) {
    if (used + cost(s) > budget - 1) {
      hidden++;
      continue;
    }
    const step = incident.playbook.steps[s.step - 1]!;
    const detail = step.detail ? `\n${userText(step.detail, 1_200)}` : '';
    blocks.push(
      section(`*${s.step}. ${userText(step.title, 150)}*${detail}\n${stepLine(snapshot, s)}`, {
        block_id: `step.${s.step}`,
      }),
    );
    if (!isFinished(s)) blocks.push(actions(`step.${s.step}.actions`, stepButtons(snapshot, s)));
    used += cost(s);
  }
  if (hidden > 0)
    blocks.push(
      context(
        `…and ${hidden} more step${hidden === 1 ? '' : 's'}. Finish the ones above, or use \`/incident step <n> done\` for any step.`,
      ),
    );
  return blocks;
}

function stepButtons(snapshot: IncidentSnapshot, s: StepStatus): Button[] {
  const value = `${snapshot.incident.id}:${s.step}`;
  const step = snapshot.incident.playbook.steps[s.step - 1]!;
  const runner = runnerOf(step);
  const buttons = [
    button('Done', `step.done.${s.step}`, value, { style: 'primary' }),
    button('Skip', `step.skip.${s.step}`, value),
  ];
  if (runner.kind !== 'manual' && s.state !== 'running')
    buttons.push(button(`${RUN_LABEL[runner.kind]}: ${runner.name}`, `step.run.${s.step}`, value));
  return buttons;
}

function deadlineBlocks(snapshot: IncidentSnapshot): Blocks {
  if (!snapshot.deadlines?.length) return [];
  const icon = { pending: ':alarm_clock:', met: ':white_check_mark:', missed: ':x:' } as const;
  const standing = (d: DeadlineView) =>
    d.state === 'pending'
      ? `due ${slackDate(d.dueAt, '{time}')}`
      : `${d.state} ${d.at ? slackDate(d.at, '{time}') : ''}`;
  const lines = snapshot.deadlines.map((d) => `${icon[d.state]} *${userText(d.title, 80)}* — ${standing(d)}`);
  return [section(`*Deadlines*\n${lines.join('\n')}`)];
}

function rollbackBlocks(snapshot: IncidentSnapshot): Blocks {
  if (!snapshot.rollbacks?.length || snapshot.incident.status === 'resolved') return [];
  const buttons = snapshot.rollbacks.slice(0, LIMITS.actionsElements).map((r) =>
    button(`${r.title}`, `action.request.${r.name}`, `${snapshot.incident.id}:${r.name}`, {
      style: 'danger',
      confirm: {
        title: `Run "${r.title}"?`,
        text: rollbackConfirmation(r, snapshot.dryRun),
        confirm: r.approval ? 'Request approval' : 'Run it',
      },
    }),
  );
  const first = snapshot.fromChange ? ` · ${snapshot.fromChange}'s first: its post-deploy watch opened this` : '';
  return [section(`*Rollback*${snapshot.dryRun ? ' (dry run)' : ''}${first}`), actions('incident.rollback', buttons)];
}

/** What the confirmation dialog of a rollback button says it will do. */
function rollbackConfirmation(r: RollbackView, dryRun: boolean | undefined): string {
  const dry = dryRun ? '*Dry run:* nothing will change. ' : '';
  const on = r.target ? ` on ${userText(r.target, 60)}` : '';
  const target = r.targetTimeMs ? ` Target: done within ${formatDuration(r.targetTimeMs)}.` : '';
  const approval = r.approval ? ' Needs a second person to approve.' : '';
  return `${dry}Runs \`${userText(r.description, 200)}\`${on}.${target}${approval}`;
}

function barButtons(snapshot: IncidentSnapshot): Button[] {
  const { incident } = snapshot;
  const value = String(incident.id);
  if (incident.status === 'resolved')
    return [button('Timeline', 'incident.timeline', value), button('Report', 'incident.report', value)];
  const buttons: Button[] = [];
  if (incident.status === 'open') buttons.push(button('Acknowledge', 'incident.ack', value, { style: 'primary' }));
  const next = incident.escalationLevel + 1;
  if (!snapshot.levelCount || next <= snapshot.levelCount) {
    buttons.push(
      button('Escalate', 'incident.escalate', value, {
        confirm: {
          title: `Escalate to level ${next}?`,
          text: `This pages level ${next} of ${incident.key} now.`,
          confirm: 'Escalate',
        },
      }),
    );
  }
  if (incident.status !== 'mitigated') buttons.push(button('Mitigated', 'incident.mitigate', value));
  buttons.push(
    button('Resolve', 'incident.resolve', value, { style: 'danger' }),
    button('Timeline', 'incident.timeline', value),
  );
  return buttons;
}
