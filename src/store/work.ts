import { type Queryable, isUniqueViolation } from './db.js';

/** A due item, as a worker claims it. */
export interface Work {
  id: number;
  kind: string;
  incidentId: number | null;
  dueAt: Date;
  /** jsonb as stored, written by this version or another: parsed with its kind's schema (app/work/payloads.ts). */
  payload: unknown;
  lane: string | null;
  attempts: number;
}

export interface NewWork {
  kind: string;
  incidentId?: number | null;
  dueAt: Date;
  payload?: Record<string, unknown>;
  lane?: string;
  /** Scheduling the same thing twice is harmless: the second insert does nothing, ever. */
  dedupeKey?: string;
  /**
   * At most one item with this key waits to be claimed: asking again while one waits does nothing; asking while
   * one runs leaves exactly one more waiting (an incident's live message render).
   */
  coalesceKey?: string;
}

/** A `scheduled_work` row as a claim returns it (`RETURNING id, kind, incident_id, due_at, payload, lane, attempts`). */
export interface WorkRow {
  id: number;
  kind: string;
  incident_id: number | null;
  due_at: Date;
  payload: unknown;
  lane: string | null;
  attempts: number;
}

export const toWork = (row: WorkRow): Work => ({
  id: Number(row.id),
  kind: row.kind,
  incidentId: row.incident_id === null ? null : Number(row.incident_id),
  dueAt: new Date(row.due_at),
  payload: row.payload,
  lane: row.lane,
  attempts: row.attempts,
});

/**
 * Schedules work; an item with a dedupe key already scheduled, or with the coalesce key of an item waiting to be
 * claimed, is not added again.
 */
export async function scheduleWork(q: Queryable, items: readonly NewWork[], now: Date): Promise<number> {
  if (items.length === 0) return 0;
  const { rowCount } = await q.query(
    `INSERT INTO scheduled_work (kind, incident_id, due_at, payload, lane, dedupe_key, coalesce_key, created_at)
     SELECT kind, incident_id, due_at, payload, lane, dedupe_key, coalesce_key, $8
       FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::jsonb[], $5::text[], $6::text[], $7::text[])
         AS t(kind, incident_id, due_at, payload, lane, dedupe_key, coalesce_key)
     ON CONFLICT DO NOTHING`,
    [
      items.map((i) => i.kind),
      items.map((i) => i.incidentId ?? null),
      items.map((i) => i.dueAt),
      items.map((i) => JSON.stringify(i.payload ?? {})),
      items.map((i) => i.lane ?? null),
      items.map((i) => i.dedupeKey ?? null),
      items.map((i) => i.coalesceKey ?? null),
      now,
    ],
  );
  return rowCount;
}

/**
 * Claims up to `limit` due items in one statement. SKIP LOCKED keeps two
 * workers off the same row; the lease lets another worker take over an item
 * whose worker died; a lane's later items wait for its earlier ones.
 */
export async function claimDueWork(
  q: Queryable,
  worker: string,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<Work[]> {
  const { rows } = await q.query<WorkRow>(
    `WITH due AS (
       SELECT w.id FROM scheduled_work w
        WHERE w.done_at IS NULL AND w.due_at <= $2
          AND (w.locked_until IS NULL OR w.locked_until < $2)
          AND (w.lane IS NULL OR NOT EXISTS (
                SELECT 1 FROM scheduled_work e
                 WHERE e.lane = w.lane AND e.done_at IS NULL AND e.id < w.id))
        ORDER BY w.due_at, w.id
        LIMIT $4
        FOR UPDATE SKIP LOCKED
     )
     UPDATE scheduled_work s
        SET locked_by = $1, locked_until = $2::timestamptz + make_interval(secs => $3::double precision / 1000), attempts = s.attempts + 1
       FROM due WHERE s.id = due.id
     RETURNING s.id, s.kind, s.incident_id, s.due_at, s.payload, s.lane, s.attempts`,
    [worker, now, leaseMs, limit],
  );
  return rows.map(toWork).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id);
}

/** Claims one item by id, if it is pending and nobody holds it: the opener's process places its incident at once. */
export async function claimWork(
  q: Queryable,
  id: number,
  worker: string,
  now: Date,
  leaseMs: number,
): Promise<Work | undefined> {
  const { rows } = await q.query<WorkRow>(
    `UPDATE scheduled_work
        SET locked_by = $2, locked_until = $3::timestamptz + make_interval(secs => $4::double precision / 1000),
            attempts = attempts + 1
      WHERE id = $1 AND done_at IS NULL AND (locked_until IS NULL OR locked_until < $3)
      RETURNING id, kind, incident_id, due_at, payload, lane, attempts`,
    [id, worker, now, leaseMs],
  );
  return rows[0] && toWork(rows[0]);
}

/** The pending item with this dedupe key. */
export async function findWorkByKey(q: Queryable, dedupeKey: string): Promise<number | undefined> {
  const { rows } = await q.query<{ id: number }>(
    'SELECT id FROM scheduled_work WHERE dedupe_key = $1 AND done_at IS NULL',
    [dedupeKey],
  );
  return rows[0] ? Number(rows[0].id) : undefined;
}

/** When a pending item runs next, and why it waits (the outcome of its last try): an answer about it. */
export async function readPendingWork(
  q: Queryable,
  id: number,
): Promise<{ dueAt: Date; outcome: string | null } | undefined> {
  const { rows } = await q.query<{ due_at: Date; outcome: string | null }>(
    'SELECT due_at, outcome FROM scheduled_work WHERE id = $1 AND done_at IS NULL',
    [id],
  );
  return rows[0] && { dueAt: new Date(rows[0].due_at), outcome: rows[0].outcome };
}

/** Marks an item done, if this worker still holds it (a lease that ran out belongs to another worker now). */
export async function completeWork(
  q: Queryable,
  id: number,
  worker: string,
  now: Date,
  outcome: string,
): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE scheduled_work SET done_at = $3, outcome = $4, locked_by = NULL, locked_until = NULL
      WHERE id = $1 AND locked_by = $2 AND done_at IS NULL`,
    [id, worker, now, outcome],
  );
  return rowCount === 1;
}

/**
 * Renews the lease on the items a worker holds (its heartbeat while it works on them); answers the ids it still
 * holds. An id missing from the answer was taken over by another worker, or is done.
 */
export async function renewWork(
  q: Queryable,
  ids: readonly number[],
  worker: string,
  now: Date,
  leaseMs: number,
): Promise<number[]> {
  if (ids.length === 0) return [];
  const { rows } = await q.query<{ id: number }>(
    `UPDATE scheduled_work
        SET locked_until = $3::timestamptz + make_interval(secs => $4::double precision / 1000)
      WHERE id = ANY($1::bigint[]) AND locked_by = $2 AND done_at IS NULL
      RETURNING id`,
    [ids, worker, now, leaseMs],
  );
  return rows.map((r) => Number(r.id));
}

/**
 * Puts an item back to run again at `at` (after a failure, or when Slack says to wait). An item with a coalesce
 * key whose next request already waits is done instead ("coalesced"): the waiting one does the same work later.
 * `countAttempt: false` (a rate limit) does not use up one of its attempts.
 */
export async function retryWork(
  q: Queryable,
  id: number,
  worker: string,
  at: Date,
  outcome: string,
  options: { countAttempt?: boolean; now?: Date } = {},
): Promise<void> {
  const attempt = () =>
    q.query(
      `WITH waiting AS (
         SELECT 1 FROM scheduled_work s, scheduled_work o
          WHERE s.id = $1 AND s.coalesce_key IS NOT NULL AND o.coalesce_key = s.coalesce_key
            AND o.id <> s.id AND o.done_at IS NULL AND o.locked_by IS NULL
       )
       UPDATE scheduled_work SET locked_by = NULL, locked_until = NULL,
              attempts = CASE WHEN $5 THEN attempts ELSE attempts - 1 END,
              due_at = CASE WHEN EXISTS (SELECT 1 FROM waiting) THEN due_at ELSE $3 END,
              done_at = CASE WHEN EXISTS (SELECT 1 FROM waiting) THEN $6::timestamptz END,
              outcome = CASE WHEN EXISTS (SELECT 1 FROM waiting) THEN 'coalesced after: ' || $4 ELSE $4 END
        WHERE id = $1 AND locked_by = $2 AND done_at IS NULL`,
      [id, worker, at, outcome, options.countAttempt !== false, options.now ?? at],
    );
  try {
    await attempt();
  } catch (error) {
    // Another request was scheduled between the look and the write: it waits now, so this one is coalesced.
    if (!isUniqueViolation(error, 'scheduled_work_waiting_key')) throw error;
    await attempt();
  }
}

/** Cancels an incident's pending items of the given kinds (all kinds when none are given). */
export async function cancelWork(
  q: Queryable,
  incidentId: number,
  kinds: readonly string[] | undefined,
  now: Date,
  outcome: string,
  filter?: { payloadKey: string; value: string },
): Promise<number> {
  const { rowCount } = await q.query(
    `UPDATE scheduled_work SET done_at = $2, outcome = $3, locked_by = NULL, locked_until = NULL
      WHERE incident_id = $1 AND done_at IS NULL
        AND ($4::text[] IS NULL OR kind = ANY($4::text[]))
        AND ($5::text IS NULL OR payload ->> $5 = $6)`,
    [incidentId, now, outcome, kinds ?? null, filter?.payloadKey ?? null, filter?.value ?? null],
  );
  return rowCount;
}

export async function pendingWork(q: Queryable, incidentId: number): Promise<Work[]> {
  const { rows } = await q.query<WorkRow>(
    `SELECT id, kind, incident_id, due_at, payload, lane, attempts FROM scheduled_work
      WHERE incident_id = $1 AND done_at IS NULL ORDER BY due_at, id`,
    [incidentId],
  );
  return rows.map(toWork);
}

/** The earliest due time of pending work: the playground shows what is coming. */
export async function nextDueAt(q: Queryable): Promise<Date | undefined> {
  const { rows } = await q.query<{ due_at: Date | null }>(
    'SELECT min(due_at) AS due_at FROM scheduled_work WHERE done_at IS NULL',
  );
  return rows[0]?.due_at ? new Date(rows[0].due_at) : undefined;
}

/** Makes the items of an incident that wait with this outcome (its placement, say) due now. */
export async function hurryWaiting(q: Queryable, incidentId: number, outcome: string, now: Date): Promise<void> {
  await q.query(
    `UPDATE scheduled_work SET due_at = $3
      WHERE incident_id = $1 AND outcome = $2 AND done_at IS NULL AND locked_by IS NULL AND due_at > $3`,
    [incidentId, outcome, now],
  );
}
