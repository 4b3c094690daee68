import { type Work, type WorkRow, toWork } from './work.js';
import type { Queryable, Transaction } from './db.js';

/**
 * Pacing of stakeholder posts per destination and of pages per person (migration 016: a page's row is
 * `page:<user>`), and the waiting deliveries a digest carries. Every
 * function runs in the caller's transaction, which holds the destination's row from `lockPacing` on.
 */

/** Locks the destination's pacing row; answers when its last post was (undefined: never). */
export async function lockPacing(tx: Transaction, destination: string): Promise<Date | undefined> {
  await tx.query(
    `INSERT INTO stakeholder_pacing (destination, last_post_at) VALUES ($1, '-infinity') ON CONFLICT DO NOTHING`,
    [destination],
  );
  const { rows } = await tx.query<{ last_post_at: Date | string }>(
    'SELECT last_post_at FROM stakeholder_pacing WHERE destination = $1 FOR UPDATE',
    [destination],
  );
  const last = rows[0] ? new Date(rows[0].last_post_at) : undefined;
  return last && Number.isFinite(last.getTime()) ? last : undefined;
}

export async function recordPost(tx: Transaction, destination: string, at: Date): Promise<void> {
  await tx.query('UPDATE stakeholder_pacing SET last_post_at = $2 WHERE destination = $1', [destination, at]);
}

/** Whether this worker still holds the item (not done, its lease ours). */
export async function stillHeld(tx: Transaction, id: number, worker: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    'SELECT 1 FROM scheduled_work WHERE id = $1 AND locked_by = $2 AND done_at IS NULL',
    [id, worker],
  );
  return rowCount > 0;
}

/** Which deliveries a digest takes: stakeholder updates to a destination, or pages by DM to a person. */
export type Paced = 'stakeholder' | 'page';
const PACED: Record<Paced, string> = {
  stakeholder: JSON.stringify({ thread: 'stakeholder' }),
  page: JSON.stringify({ page: true }),
};

/**
 * The other deliveries of this kind due for this destination that nobody else holds (or that this worker claimed
 * but has not started), taken by `owner` (the digest): their own run, if one starts, finds them no longer its
 * own and leaves them to the digest. Oldest first.
 */
export async function takeWaitingUpdates(
  tx: Transaction,
  paced: Paced,
  destination: string,
  except: number,
  worker: string,
  owner: string,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<Work[]> {
  const { rows } = await tx.query<WorkRow>(
    `WITH waiting AS (
       SELECT w.id FROM scheduled_work w
        WHERE w.kind = 'deliver' AND w.done_at IS NULL AND w.id <> $2 AND w.due_at <= $4
          AND w.payload @> $8::jsonb AND w.payload->>'to' = $1
          AND (w.locked_until IS NULL OR w.locked_until < $4 OR w.locked_by = $3)
          -- Each lane's head only: an incident's updates to one destination still go out in order.
          AND (w.lane IS NULL OR NOT EXISTS (
                SELECT 1 FROM scheduled_work e
                 WHERE e.lane = w.lane AND e.done_at IS NULL AND e.id < w.id AND e.id <> $2))
        ORDER BY w.due_at, w.id
        LIMIT $6
        FOR UPDATE SKIP LOCKED
     )
     UPDATE scheduled_work s
        SET locked_by = $7, locked_until = $4::timestamptz + make_interval(secs => $5::double precision / 1000)
       FROM waiting WHERE s.id = waiting.id
     RETURNING s.id, s.kind, s.incident_id, s.due_at, s.payload, s.lane, s.attempts`,
    [destination, except, worker, now, leaseMs, limit, owner, PACED[paced]],
  );
  return rows.map(toWork).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id);
}

/** Locks the items a digest carries, in id order, before it completes them one by one. */
export async function lockUpdates(tx: Transaction, ids: readonly number[]): Promise<void> {
  await tx.query('SELECT id FROM scheduled_work WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [ids]);
}

/** Gives back updates taken for a digest that could not be posted: they run on their own again. */
export async function releaseUpdates(q: Queryable, ids: readonly number[], owner: string): Promise<void> {
  if (ids.length === 0) return;
  await q.query(
    `UPDATE scheduled_work SET locked_by = NULL, locked_until = NULL
      WHERE id = ANY($1::bigint[]) AND locked_by = $2 AND done_at IS NULL`,
    [ids, owner],
  );
}
