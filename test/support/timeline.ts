import type { Database } from '../../src/store/db.js';

export interface EventRow {
  kind: string;
  actor: string;
  data: Record<string, unknown>;
  occurredAt: Date;
}

/** The timeline of an incident as rows: what the e2e tests assert on. */
export async function timelineOf(db: Database, key: string): Promise<EventRow[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT e.kind, e.actor, e.data, e.occurred_at AS "occurredAt" FROM timeline_events e JOIN incidents i ON i.id = e.incident_id
      WHERE i.key = $1 ORDER BY e.occurred_at, e.id`,
    [key],
  );
  return rows;
}

export async function rowCounts(db: Database): Promise<Record<string, number>> {
  const { rows } = await db.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM incidents) AS incidents,
            (SELECT count(*)::int FROM timeline_events) AS timeline_events,
            (SELECT count(*)::int FROM step_states) AS step_states,
            (SELECT count(*)::int FROM handled_requests) AS handled_requests`,
  );
  return rows[0]!;
}
