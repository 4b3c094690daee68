import type { DeadlineTrigger, DeadlineView, PlannedDeadline } from '../domain/deadlines.js';
import type { Queryable } from './db.js';

interface DeadlineRow {
  name: string;
  title: string;
  due_at: Date;
  state: 'pending' | 'met' | 'missed';
  settled_at: Date | null;
}

const toView = (row: DeadlineRow): DeadlineView => ({
  name: row.name,
  title: row.title,
  dueAt: new Date(row.due_at),
  state: row.state,
  ...(row.settled_at ? { at: new Date(row.settled_at) } : {}),
});

export async function insertDeadlines(
  q: Queryable,
  incidentId: number,
  deadlines: readonly PlannedDeadline[],
): Promise<void> {
  if (deadlines.length === 0) return;
  await q.query(
    `INSERT INTO deadlines (incident_id, name, title, due_at, met_by_step, met_by_event)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::int[], $6::text[])
     ON CONFLICT DO NOTHING`,
    [
      incidentId,
      deadlines.map((d) => d.name),
      deadlines.map((d) => d.title),
      deadlines.map((d) => d.dueAt),
      deadlines.map((d) => d.metByStep),
      deadlines.map((d) => d.metByEvent),
    ],
  );
}

export async function readDeadlines(q: Queryable, incidentId: number): Promise<DeadlineView[]> {
  const { rows } = await q.query<DeadlineRow>(
    'SELECT name, title, due_at, state, settled_at FROM deadlines WHERE incident_id = $1 ORDER BY due_at, name',
    [incidentId],
  );
  return rows.map(toView);
}

/**
 * Settles the deadlines this trigger meets. A pending one becomes met; one
 * already missed stays missed (the report shows both the miss and when it
 * was done). Returns each deadline the trigger satisfied, with whether it was late.
 */
export async function meetDeadlines(
  q: Queryable,
  incidentId: number,
  trigger: DeadlineTrigger,
  at: Date,
): Promise<Array<DeadlineView & { late: boolean }>> {
  const { rows } = await q.query<DeadlineRow & { was: string }>(
    `WITH hit AS (
       SELECT name, state AS was FROM deadlines
        WHERE incident_id = $1 AND state <> 'met'
          AND (($2::int IS NOT NULL AND met_by_step = $2) OR ($3::text IS NOT NULL AND met_by_event = $3))
        FOR UPDATE
     ), settled AS (
       UPDATE deadlines d SET state = CASE WHEN hit.was = 'pending' THEN 'met' ELSE d.state END,
                              settled_at = CASE WHEN hit.was = 'pending' THEN $4 ELSE d.settled_at END
         FROM hit WHERE d.incident_id = $1 AND d.name = hit.name
       RETURNING d.name, d.title, d.due_at, d.state, d.settled_at, hit.was
     ), shown AS (
       -- The live message shows deadlines: a met one is a new version of the incident (migration 010).
       UPDATE incidents SET version = version + 1
        WHERE id = $1 AND EXISTS (SELECT 1 FROM settled WHERE was = 'pending')
     )
     SELECT * FROM settled`,
    [incidentId, 'step' in trigger ? trigger.step : null, 'event' in trigger ? trigger.event : null, at],
  );
  return rows.map((row) => ({ ...toView(row), late: row.was === 'missed' }));
}

/** Marks a deadline missed if it is still pending; true when it was. */
export async function missDeadline(
  q: Queryable,
  incidentId: number,
  name: string,
  at: Date,
): Promise<DeadlineView | undefined> {
  const { rows } = await q.query<DeadlineRow>(
    `WITH missed AS (
       UPDATE deadlines SET state = 'missed', settled_at = $3 WHERE incident_id = $1 AND name = $2 AND state = 'pending'
       RETURNING name, title, due_at, state, settled_at
     ), shown AS (
       UPDATE incidents SET version = version + 1 WHERE id = $1 AND EXISTS (SELECT 1 FROM missed)
     )
     SELECT * FROM missed`,
    [incidentId, name, at],
  );
  return rows[0] && toView(rows[0]);
}
