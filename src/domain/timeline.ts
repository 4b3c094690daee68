import { z } from 'zod';
import { INCIDENT_STATUSES } from './incident.js';
import { SEVERITIES } from './severity.js';
import { CHANGE_DATA, CHANGE_KINDS } from './changeTimeline.js';

/**
 * The kinds of timeline event. Operators build dashboards on
 * `timeline_events.kind`: add kinds, never rename them.
 */
export const TIMELINE_KINDS = [
  'incident.opened',
  'incident.acknowledged',
  'incident.mitigated',
  'incident.resolved',
  'incident.severity_changed',
  'incident.commander_changed',
  'incident.escalated',
  'note.added',
  'step.done',
  'step.skipped',
  'step.failed',
  'step.started',
  'step.requested',
  'check.result',
  'token.refreshed',
  'token.refresh_failed',
  'escalation.paged',
  'escalation.stopped',
  'deadline.reminded',
  'deadline.met',
  'deadline.missed',
  'notification.sent',
  'notification.failed',
  'action.requested',
  'action.refused',
  'action.approved',
  'action.denied',
  'action.expired',
  'action.started',
  'action.finished',
  'action.interrupted',
  'action.cancelled',
  'report.posted',
  'timeline.viewed',
  'alert.resolved',
  'access.refused',
  'alert.joined',
  'incident.placed',
  'incident.place_failed',
  'page.sent',
  'page.failed',
  'page.acknowledged',
  ...CHANGE_KINDS,
] as const;

export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const SYSTEM_ACTOR = 'system';

const text = z.string();
const count = z.number();
const flag = z.boolean().optional();
/** A moment, written as an ISO 8601 string. */
const instant = z.string().describe('time (ISO 8601)');
const user = z.string().describe('Slack user id');
const users = z.array(z.string()).describe('list of Slack user ids');
const usergroups = z.array(z.string()).describe('list of Slack user group ids');
const status = z.enum(INCIDENT_STATUSES);
const severity = z.enum(SEVERITIES);

/** What a kind's `data` holds, and when the bot writes one. */
interface KindSpec<S extends z.ZodRawShape> {
  when: string;
  shape: S;
}
const kind = <S extends z.ZodRawShape>(when: string, shape: S): KindSpec<S> => ({ when, shape });

const statusChange = { from: status, to: status, summary: text.optional() };
const stepMove = { step: count, title: text.optional() };
const approval = { action: text, runId: count, requester: user };
const deadline = { name: text, title: text, dueAt: instant };
const token = {
  provider: text,
  attempts: count,
  by: text,
  expiresAt: instant.optional(),
  error: text.optional(),
  step: count.optional(),
};

/** The way a page went: a person's channel, or a mirror (never the phone number or address it went to). */
const pageChannel = z.enum(['slack', 'email', 'sms', 'voice', 'push', 'webhook', 'pagerduty', 'opsgenie']);
const page = {
  channel: pageChannel,
  /** The person paged (absent for a mirror). */
  person: user.optional(),
  /** Which of the person's rules (from 1). */
  rule: count.optional(),
  /** A mirror's action: trigger, acknowledge or resolve. */
  action: z.enum(['trigger', 'acknowledge', 'resolve']).optional(),
  test: flag,
  attempts: count.optional(),
};

/**
 * The timeline's contract: each kind's `data`, field by field. Writers build
 * events with `timelineEvent` (the data must match the kind); readers parse
 * with `readEvent`, which lets unknown extra fields through and turns a row
 * it cannot read (an older or newer shape) into `undefined`, never a throw.
 * Fields are only added, optional when older rows lack them.
 */
export const TIMELINE_DATA = {
  'incident.opened': kind('an incident opens (command, alert or scheduled check)', {
    key: text,
    playbook: text,
    title: text,
    summary: text,
    severity,
  }),
  'incident.acknowledged': kind('someone acknowledges', statusChange),
  'incident.mitigated': kind('someone marks it mitigated', statusChange),
  'incident.resolved': kind('someone resolves it', statusChange),
  'incident.severity_changed': kind('the severity changes', { from: severity, to: severity }),
  'incident.commander_changed': kind('command is handed over', { from: user, to: user }),
  'incident.escalated': kind('the level changes, by hand or when a level clock runs out', {
    from: count,
    to: count,
    manual: flag,
    clock: z.enum(['ack', 'unresolved']).optional(),
    dueAt: instant.optional(),
    late: flag,
    lateByMs: count.optional(),
    repeat: count.optional(),
  }),
  'note.added': kind('someone adds a note', { text }),
  'step.done': kind('a step is done, by hand or by its runner', stepMove),
  'step.skipped': kind('someone skips a step', stepMove),
  'step.failed': kind("a step's check, token refresh or action fails", { ...stepMove, reason: text.optional() }),
  'step.started': kind("a step's runner starts", {
    ...stepMove,
    check: text.optional(),
    token: text.optional(),
  }),
  'step.requested': kind("a step's button is pressed but its runner is not configured", {
    step: count,
    title: text,
    runner: text,
    name: text,
    configured: z.boolean(),
  }),
  'check.result': kind('a health check finishes (one event per check)', {
    check: text,
    target: text,
    status: text,
    latencyMs: count,
    attempts: count,
    failure: text.optional(),
    step: count.optional(),
    scheduled: flag,
  }),
  'token.refreshed': kind('a token is refreshed', token),
  'token.refresh_failed': kind('a token refresh fails', token),
  'escalation.paged': kind('a level is paged', {
    level: count,
    cycle: count,
    name: text,
    usergroups,
    users,
    late: flag,
    lateByMs: count.optional(),
    dueAt: instant.optional(),
    /** Each schedule the level pages, and who was on call for it then (null: nobody). */
    onCall: z
      .array(z.object({ schedule: text, user: user.nullable() }).describe('{ schedule, user } (user null: nobody)'))
      .optional(),
    /** A schedule had nobody on call, so the level's fallback was paged. */
    fallback: flag,
  }),
  'escalation.stopped': kind('escalation stops (acknowledged, resolved or exhausted)', {
    reason: text,
    level: count.optional(),
  }),
  'deadline.reminded': kind('the commander is reminded of a deadline', { ...deadline, commander: user }),
  'deadline.met': kind('a step or event meets a deadline', { ...deadline, late: flag }),
  'deadline.missed': kind('a deadline falls due unmet', deadline),
  'notification.sent': kind('stakeholders are told, one event per channel or person', {
    reason: text,
    group: text,
    to: text,
    ts: text.optional(),
  }),
  'notification.failed': kind('telling stakeholders fails (written by older versions)', { to: text, error: text }),
  'action.requested': kind('someone asks for an action', {
    action: text,
    runId: count,
    plan: text,
    dryRun: z.boolean(),
    approval: z.boolean(),
  }),
  'action.refused': kind('an action request or decision is refused', {
    action: text,
    reason: text,
    runId: count.optional(),
  }),
  'action.approved': kind('someone approves an action', approval),
  'action.denied': kind('someone denies an action', approval),
  'action.expired': kind('an approval request expires', approval),
  'action.started': kind('an action starts running', {
    action: text,
    runId: count,
    summary: text,
    dryRun: z.boolean(),
  }),
  'action.finished': kind('an action finishes', {
    action: text,
    runId: count,
    outcome: text,
    durationMs: count,
    targetMs: count.optional(),
    targetMissed: flag,
    error: text.optional(),
  }),
  'report.posted': kind('the report is posted in the thread', { bytes: count }),
  'timeline.viewed': kind('someone views the timeline', {}),
  'alert.resolved': kind("Alertmanager resolves an incident's alert", { alertname: text, fingerprint: text }),
  'action.interrupted': kind('the bot running an action died, or stopped between its approval and its start', {
    action: text,
    runId: count,
    requester: user,
    lastHeartbeat: instant.optional(),
    host: text.optional(),
    started: flag,
  }),
  'action.cancelled': kind('a request still waiting is cancelled because its incident was resolved', {
    ...approval,
    reason: text,
  }),
  'access.refused': kind('someone who may not change (or read) the incident tries to', {
    action: text,
    intent: z.enum(['change', 'read']),
  }),
  'alert.joined': kind('an alert of an open group (or past the cap) joins an incident instead of opening one', {
    alertname: text,
    fingerprint: text,
    folded: flag,
  }),
  'incident.placed': kind('the incident becomes visible in Slack (its channel and live message)', {
    channelId: text,
    messageTs: text,
    channelName: text.optional(),
    attempts: count,
    afterMs: count,
  }),
  'incident.place_failed': kind('Slack failed 3 times to create the channel or post the live message', {
    attempts: count,
    error: text,
  }),
  'page.sent': kind('a page goes out beyond the first Slack DM: a rule of the person, a test page, a mirror', {
    ...page,
    providerId: text.optional(),
    late: flag,
    lateByMs: count.optional(),
  }),
  'page.failed': kind('a page could not be sent; `uncertain`: its answer was lost and it may have been sent', {
    ...page,
    error: text,
    uncertain: flag,
  }),
  'page.acknowledged': kind('someone acknowledges (or resolves) from where the page reached them', {
    channel: pageChannel,
    resolved: flag,
  }),
  ...CHANGE_DATA,
} as const satisfies { [K in TimelineKind]: KindSpec<z.ZodRawShape> };

type Shape<K extends TimelineKind> = (typeof TIMELINE_DATA)[K]['shape'];

/** The data a writer writes for a kind. */
export type TimelineData<K extends TimelineKind> = z.infer<z.ZodObject<Shape<K>>>;

/** Tolerant readers, one per kind: unknown extra fields pass through. */
const READERS: ReadonlyMap<string, z.ZodType> = new Map(
  TIMELINE_KINDS.map((k) => [k, z.looseObject(TIMELINE_DATA[k].shape)]),
);

export interface TimelineEvent {
  id: number;
  incidentId: number;
  occurredAt: Date;
  actor: string;
  kind: TimelineKind;
  data: Record<string, unknown>;
}

export type NewTimelineEvent = Omit<TimelineEvent, 'id'>;

/** A kind and its data, checked against each other: what a writer passes to the store. */
export function timelineEvent<K extends TimelineKind>(
  kind: K,
  data: TimelineData<K>,
): { kind: K; data: TimelineData<K> } {
  return { kind, data };
}

/** An event whose data has been read with its kind's schema. */
export type ReadEvent = {
  [K in TimelineKind]: Omit<TimelineEvent, 'kind' | 'data'> & { kind: K; data: TimelineData<K> };
}[TimelineKind];

/** Reads an event's data with its kind's schema; undefined for a row this version cannot read. */
export function readEvent(event: TimelineEvent): ReadEvent | undefined {
  const parsed = READERS.get(event.kind)?.safeParse(event.data);
  // The boundary: jsonb from the database, parsed by its own kind's schema, so kind and data agree.
  return parsed?.success ? ({ ...event, data: parsed.data } as ReadEvent) : undefined;
}
