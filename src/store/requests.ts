import type { Queryable } from './db.js';

/**
 * Records that a Slack request has been acted on. Returns false when it was
 * already recorded: the caller's transaction then changes nothing. Inside a
 * transaction, a concurrent duplicate waits here until the first commits.
 */
export async function claimRequest(q: Queryable, key: string, at: Date): Promise<boolean> {
  const { rowCount } = await q.query(
    'INSERT INTO handled_requests (key, handled_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
    [key, at],
  );
  return rowCount === 1;
}

/** Forgets handled requests older than `before`; Slack retries only within minutes. */
export async function pruneHandledRequests(q: Queryable, before: Date): Promise<number> {
  const { rowCount } = await q.query('DELETE FROM handled_requests WHERE handled_at < $1', [before]);
  return rowCount;
}
