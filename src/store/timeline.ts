import { type NewTimelineEvent, SYSTEM_ACTOR, type TimelineEvent, type TimelineKind } from '../domain/timeline.js';
import { type Queryable, onlyRow } from './db.js';

interface EventRow {
  id: number;
  incident_id: number;
  occurred_at: Date;
  actor: string;
  kind: string;
  data: Record<string, unknown>;
}

const toEvent = (row: EventRow): TimelineEvent => ({
  id: Number(row.id),
  incidentId: Number(row.incident_id),
  occurredAt: new Date(row.occurred_at),
  actor: row.actor,
  // The boundary: a kind a newer version wrote passes through; readEvent turns it into undefined, never a throw.
  kind: row.kind as TimelineKind,
  data: row.data,
});

/** An event the bot itself writes (no person did it): a watch's run, a change's end. */
export const appendSystemEvent = (
  q: Queryable,
  incidentId: number,
  occurredAt: Date,
  event: Pick<NewTimelineEvent, 'kind' | 'data'>,
): Promise<TimelineEvent> => appendTimelineEvent(q, { incidentId, occurredAt, actor: SYSTEM_ACTOR, ...event });

export async function appendTimelineEvent(q: Queryable, event: NewTimelineEvent): Promise<TimelineEvent> {
  const { rows } = await q.query<EventRow>(
    `INSERT INTO timeline_events (incident_id, occurred_at, actor, kind, data)
     VALUES ($1, $2, $3, $4, $5)
     RETURNING id, incident_id, occurred_at, actor, kind, data`,
    [event.incidentId, event.occurredAt, event.actor, event.kind, JSON.stringify(event.data)],
  );
  q.timelineWritten?.([event.kind]);
  return toEvent(onlyRow(rows));
}

/**
 * Appends events that each carry a key (the spool's): a key already in the
 * table is skipped, so writing the same events twice writes them once.
 */
export async function appendKeyedTimelineEvents(
  q: Queryable,
  events: ReadonlyArray<NewTimelineEvent & { key: string }>,
): Promise<number> {
  if (events.length === 0) return 0;
  const { rows } = await q.query<{ kind: string }>(
    `INSERT INTO timeline_events (incident_id, occurred_at, actor, kind, data, spool_key)
     SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::jsonb[], $6::uuid[])
     ON CONFLICT (spool_key) WHERE spool_key IS NOT NULL DO NOTHING
     RETURNING kind`,
    [
      events.map((e) => e.incidentId),
      events.map((e) => e.occurredAt),
      events.map((e) => e.actor),
      events.map((e) => e.kind),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => e.key),
    ],
  );
  q.timelineWritten?.(rows.map((row) => row.kind));
  return rows.length;
}

/** The timeline in the order things happened; `limit` and `offset` page through long ones. */
export async function readTimeline(
  q: Queryable,
  incidentId: number,
  options: { limit?: number; offset?: number } = {},
): Promise<TimelineEvent[]> {
  const { rows } = await q.query<EventRow>(
    `SELECT id, incident_id, occurred_at, actor, kind, data
       FROM timeline_events
      WHERE incident_id = $1
      ORDER BY occurred_at, id
      LIMIT $2 OFFSET $3`,
    [incidentId, options.limit ?? 10_000, options.offset ?? 0],
  );
  return rows.map(toEvent);
}

export async function countTimelineEvents(q: Queryable, incidentId: number): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM timeline_events WHERE incident_id = $1',
    [incidentId],
  );
  return rows[0]?.n ?? 0;
}

/** Everyone an incident's escalation has paged so far (the users of its `escalation.paged` events). */
export async function readPagedUsers(q: Queryable, incidentId: number): Promise<string[]> {
  const { rows } = await q.query<{ user_id: string }>(
    `SELECT DISTINCT jsonb_array_elements_text(data->'users') AS user_id
       FROM timeline_events
      WHERE incident_id = $1 AND kind = 'escalation.paged' AND jsonb_typeof(data->'users') = 'array'`,
    [incidentId],
  );
  return rows.map((r) => r.user_id);
}
