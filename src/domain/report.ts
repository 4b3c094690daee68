import { formatDuration } from '../config/duration.js';
import type { DeadlineView } from './deadlines.js';
import { describeEvent } from './describe.js';
import type { Incident } from './incident.js';
import { severityLabel } from './severity.js';
import type { StepStatus } from './steps.js';
import { readEvent, type ReadEvent, type TimelineEvent, type TimelineKind } from './timeline.js';

export interface ReportInput {
  incident: Incident;
  steps: StepStatus[];
  deadlines: DeadlineView[];
  events: TimelineEvent[];
  /** When the report was made (the end of "still open" durations). */
  now: Date;
}

const utc = (date: Date) => `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
/** Text in a Markdown table cell: one line, no pipes. */
const cell = (text: string) => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
const since = (from: Date, to: Date | null) => (to ? formatDuration(to.getTime() - from.getTime()) : 'not yet');

/**
 * The incident report in Markdown, built only from what PostgreSQL holds:
 * summary, severity, the time to acknowledge, mitigate and resolve, deadlines
 * met or missed, escalations, checks and actions with their results, and the
 * full timeline in order.
 */
export function buildReport({ incident, steps, deadlines, events, now }: ReportInput): string {
  const opened = readAll(events, 'incident.opened')[0];
  const resolved = readAll(events, 'incident.resolved').at(-1);
  const lines: string[] = [
    `# ${incident.key} · ${incident.title}`,
    '',
    `| | |`,
    `|---|---|`,
    `| Playbook | \`${incident.playbookId}\` (source: document ${incident.playbook.source.document}, ${cell(incident.playbook.source.section)}) |`,
    `| Severity | ${severityLabel(incident.severity)}${opened && opened.data.severity !== incident.severity ? ` (opened as ${opened.data.severity})` : ''} |`,
    `| Status | ${incident.status} |`,
    `| Commander | @${incident.commander} |`,
    `| Opened | ${utc(incident.openedAt)} by @${incident.openedBy} |`,
    `| Time to acknowledge | ${since(incident.openedAt, incident.acknowledgedAt)} |`,
    `| Time to mitigate | ${since(incident.openedAt, incident.mitigatedAt)} |`,
    `| Time to resolve | ${since(incident.openedAt, incident.resolvedAt)} |`,
    `| Escalation | level ${incident.escalationLevel}${incident.escalationPolicyName ? ` of policy \`${incident.escalationPolicyName}\`` : ''} |`,
    '',
    '## Summary',
    '',
    incident.summary || '_No summary was given when the incident opened._',
    ...(resolved?.data.summary ? ['', `**Resolution:** ${resolved.data.summary}`] : []),
    '',
    '## Deadlines',
    '',
    ...(deadlines.length === 0
      ? ['_This playbook sets no deadlines._']
      : [
          '| Deadline | Due | Outcome | Settled |',
          '|---|---|---|---|',
          ...deadlines.map(
            (d) =>
              `| ${cell(d.title)} | ${utc(d.dueAt)} (+${formatDuration(d.dueAt.getTime() - incident.openedAt.getTime())}) | ${d.state} | ${d.at ? utc(d.at) : '—'} |`,
          ),
        ]),
    '',
    '## Escalations',
    '',
    ...section(
      events.filter((e) => e.kind.startsWith('escalation.') || e.kind === 'incident.escalated'),
      incident,
      'No escalations.',
    ),
    '',
    '## Steps',
    '',
    '| # | Step | State | By | When |',
    '|---|---|---|---|---|',
    ...steps.map(
      (s) =>
        `| ${s.step} | ${cell(incident.playbook.steps[s.step - 1]?.title ?? '')} | ${s.state} | ${s.actor ? `@${s.actor}` : '—'} | ${s.changedAt ? utc(s.changedAt) : '—'} |`,
    ),
    '',
    '## Checks and token refreshes',
    '',
    ...section(
      events.filter((e) => e.kind === 'check.result' || e.kind.startsWith('token.')),
      incident,
      'No checks were run.',
    ),
    '',
    '## Actions',
    '',
    ...section(
      events.filter((e) => e.kind.startsWith('action.')),
      incident,
      'No actions were run.',
    ),
    '',
    '## Timeline',
    '',
    '| Time | Since opening | Who | What |',
    '|---|---|---|---|',
    ...events.map(
      (e) =>
        `| ${utc(e.occurredAt)} | +${formatDuration(Math.max(0, e.occurredAt.getTime() - incident.openedAt.getTime()))} | ${e.actor === 'system' ? 'incident-bot' : `@${e.actor}`} | ${cell(describeEvent(e))} |`,
    ),
    '',
    `_Report made ${utc(now)} from ${events.length} timeline events._`,
    '',
  ];
  return lines.join('\n');
}

function section(events: TimelineEvent[], incident: Incident, none: string): string[] {
  if (events.length === 0) return [`_${none}_`];
  return events.map(
    (e) =>
      `- ${utc(e.occurredAt)} (+${formatDuration(Math.max(0, e.occurredAt.getTime() - incident.openedAt.getTime()))}) ${e.actor === 'system' ? 'incident-bot' : `@${e.actor}`} ${describeEvent(e)}`,
  );
}

/** The events of a kind that this version can read, in order (a row in another shape is left out, never fatal). */
function readAll<K extends TimelineKind>(events: TimelineEvent[], kind: K): Extract<ReadEvent, { kind: K }>[] {
  return events
    .filter((e) => e.kind === kind)
    .map(readEvent)
    .filter((e): e is Extract<ReadEvent, { kind: K }> => e?.kind === kind);
}
