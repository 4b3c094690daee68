import type { Queryable } from './db.js';
import { type WorkRow, type Work, toWork } from './work.js';

/**
 * The `alerts-joined` thread posts that wait right behind a running one in its incident's thread lane (in a storm,
 * one per Alertmanager batch): they are said together in one line. Only the unbroken run after it is taken, so the
 * thread's order holds (a resolution or a reminder queued between them stays between them); nobody can claim them
 * meanwhile, because a lane runs one item at a time.
 */
export async function followingJoinedPosts(
  q: Queryable,
  lane: string,
  afterId: number,
  now: Date,
  limit: number,
): Promise<Work[]> {
  const { rows } = await q.query<WorkRow & { joined: boolean }>(
    `SELECT id, kind, incident_id, due_at, payload, lane, attempts,
            kind = 'thread.post' AND payload->'post'->>'kind' = 'alerts-joined' AND due_at <= $3 AS joined
       FROM scheduled_work
      WHERE lane = $1 AND id > $2 AND done_at IS NULL
      ORDER BY id
      LIMIT $4`,
    [lane, afterId, now, limit],
  );
  const run = rows.findIndex((row) => !row.joined);
  return (run === -1 ? rows : rows.slice(0, run)).map(toWork);
}

/** Marks posts carried by another item's post done (those nobody claimed meanwhile); answers how many. */
export async function completeCarriedPosts(
  q: Queryable,
  ids: readonly number[],
  now: Date,
  outcome: string,
): Promise<number> {
  if (ids.length === 0) return 0;
  const { rowCount } = await q.query(
    `UPDATE scheduled_work SET done_at = $2, outcome = $3
      WHERE id = ANY($1::bigint[]) AND done_at IS NULL AND locked_by IS NULL`,
    [ids, now, outcome],
  );
  return rowCount;
}
