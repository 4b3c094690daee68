import { z } from 'zod';
import { ACTION_DATA } from './actionTimeline.js';
import { CHANGE_DATA, CHANGE_KINDS } from './changeTimeline.js';
import { INCIDENT_DATA } from './incidentTimeline.js';
import { PAGE_DATA } from './pageTimeline.js';
import { STEP_DATA } from './stepTimeline.js';
import type { KindSpec } from './timelineFields.js';

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
  'incident.moved',
  'page.sent',
  'page.failed',
  'page.acknowledged',
  ...CHANGE_KINDS,
] as const;

export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const SYSTEM_ACTOR = 'system';

/**
 * The timeline's contract: each kind's `data`, field by field. Writers build
 * events with `timelineEvent` (the data must match the kind); readers parse
 * with `readEvent`, which lets unknown extra fields through and turns a row
 * it cannot read (an older or newer shape) into `undefined`, never a throw.
 * Fields are only added, optional when older rows lack them. Each area's kinds
 * are specified in its own module (incidentTimeline.ts, stepTimeline.ts, ...).
 */
export const TIMELINE_DATA = {
  ...INCIDENT_DATA,
  ...STEP_DATA,
  ...ACTION_DATA,
  ...PAGE_DATA,
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
