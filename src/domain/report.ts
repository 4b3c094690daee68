import { formatDuration } from './duration.js';
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
const row = (...cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
/** A table's header row and the line under it. */
const header = (...names: string[]) => [row(...names), `|${'---|'.repeat(names.length)}`];
const since = (from: Date, to: Date | null) => (to ? formatDuration(to.getTime() - from.getTime()) : 'not yet');
/** How long after opening: an event written before the opening counts as at it. */
const offset = (incident: Incident, at: Date) =>
  `+${formatDuration(Math.max(0, at.getTime() - incident.openedAt.getTime()))}`;
const by = (actor: string) => (actor === 'system' ? 'incident-bot' : `@${actor}`);

/**
 * The incident report in Markdown, built only from what PostgreSQL holds:
 * summary, severity, the time to acknowledge, mitigate and resolve, deadlines
 * met or missed, escalations, checks and actions with their results, and the
 * full timeline in order.
 */
export function buildReport({ incident, steps, deadlines, events, now }: ReportInput): string {
  const lines: string[] = [
    `# ${incident.key} · ${incident.title}`,
    '',
    ...facts(incident, events),
    '',
    '## Summary',
    '',
    ...summary(incident, events),
    '',
    '## Deadlines',
    '',
    ...deadlineTable(incident, deadlines),
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
    ...stepTable(incident, steps),
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
    ...timelineTable(incident, events),
    '',
    `_Report made ${utc(now)} from ${events.length} timeline events._`,
    '',
  ];
  return lines.join('\n');
}

function facts(incident: Incident, events: TimelineEvent[]): string[] {
  const { source } = incident.playbook;
  const opened = readAll(events, 'incident.opened')[0];
  const openedAs = opened && opened.data.severity !== incident.severity ? ` (opened as ${opened.data.severity})` : '';
  const policy = incident.escalationPolicyName ? ` of policy \`${incident.escalationPolicyName}\`` : '';
  return [
    '| | |',
    '|---|---|',
    row('Playbook', `\`${incident.playbookId}\` (source: document ${source.document}, ${cell(source.section)})`),
    row('Severity', `${severityLabel(incident.severity)}${openedAs}`),
    row('Status', incident.status),
    row('Commander', `@${incident.commander}`),
    row('Opened', `${utc(incident.openedAt)} by @${incident.openedBy}`),
    row('Time to acknowledge', since(incident.openedAt, incident.acknowledgedAt)),
    row('Time to mitigate', since(incident.openedAt, incident.mitigatedAt)),
    row('Time to resolve', since(incident.openedAt, incident.resolvedAt)),
    row('Escalation', `level ${incident.escalationLevel}${policy}`),
  ];
}

function summary(incident: Incident, events: TimelineEvent[]): string[] {
  const resolution = readAll(events, 'incident.resolved').at(-1)?.data.summary;
  return [
    incident.summary || '_No summary was given when the incident opened._',
    ...(resolution ? ['', `**Resolution:** ${resolution}`] : []),
  ];
}

function deadlineTable(incident: Incident, deadlines: DeadlineView[]): string[] {
  if (deadlines.length === 0) return ['_This playbook sets no deadlines._'];
  return [
    ...header('Deadline', 'Due', 'Outcome', 'Settled'),
    ...deadlines.map((d) =>
      row(cell(d.title), `${utc(d.dueAt)} (${offset(incident, d.dueAt)})`, d.state, d.at ? utc(d.at) : '—'),
    ),
  ];
}

function stepTable(incident: Incident, steps: StepStatus[]): string[] {
  const title = (step: number) => cell(incident.playbook.steps[step - 1]?.title ?? '');
  return [
    ...header('#', 'Step', 'State', 'By', 'When'),
    ...steps.map((s) =>
      row(s.step, title(s.step), s.state, s.actor ? `@${s.actor}` : '—', s.changedAt ? utc(s.changedAt) : '—'),
    ),
  ];
}

function timelineTable(incident: Incident, events: TimelineEvent[]): string[] {
  return [
    ...header('Time', 'Since opening', 'Who', 'What'),
    ...events.map((e) => row(utc(e.occurredAt), offset(incident, e.occurredAt), by(e.actor), cell(describeEvent(e)))),
  ];
}

function section(events: TimelineEvent[], incident: Incident, none: string): string[] {
  if (events.length === 0) return [`_${none}_`];
  return events.map(
    (e) => `- ${utc(e.occurredAt)} (${offset(incident, e.occurredAt)}) ${by(e.actor)} ${describeEvent(e)}`,
  );
}

/** The events of a kind that this version can read, in order (a row in another shape is left out, never fatal). */
function readAll<K extends TimelineKind>(events: TimelineEvent[], kind: K): Extract<ReadEvent, { kind: K }>[] {
  return events
    .filter((e) => e.kind === kind)
    .map(readEvent)
    .filter((e): e is Extract<ReadEvent, { kind: K }> => e?.kind === kind);
}
