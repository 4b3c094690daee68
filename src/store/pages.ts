import type { Queryable } from './db.js';

export type PageAttemptState = 'sending' | 'sent' | 'failed' | 'uncertain';

export interface PageAttempt {
  id: number;
  state: PageAttemptState;
}

/**
 * Writes the attempt before the send. Answers the new row, or the row already there for this key (a retry of the
 * same page, or another replica's): its state says whether to send, report, or do nothing.
 */
export async function beginPageAttempt(
  q: Queryable,
  attempt: { key: string; incidentId: number | null; person: string | null; via: string; at: Date },
): Promise<{ created: boolean; attempt: PageAttempt }> {
  const inserted = await q.query<{ id: number; state: PageAttemptState }>(
    `INSERT INTO page_attempts (attempt_key, incident_id, person, via, state, started_at)
     VALUES ($1, $2, $3, $4, 'sending', $5)
     ON CONFLICT (attempt_key) DO NOTHING
     RETURNING id, state`,
    [attempt.key, attempt.incidentId, attempt.person, attempt.via, attempt.at],
  );
  if (inserted.rows[0]) return { created: true, attempt: { id: Number(inserted.rows[0].id), state: 'sending' } };
  const { rows } = await q.query<{ id: number; state: PageAttemptState }>(
    'SELECT id, state FROM page_attempts WHERE attempt_key = $1',
    [attempt.key],
  );
  return { created: false, attempt: { id: Number(rows[0]!.id), state: rows[0]!.state } };
}

/** Settles an attempt still being sent; false when it was already settled (by another worker). */
export async function finishPageAttempt(
  q: Queryable,
  id: number,
  outcome: { state: Exclude<PageAttemptState, 'sending'>; providerId?: string; error?: string; at: Date },
): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE page_attempts SET state = $2, provider_id = $3, error = $4, finished_at = $5
      WHERE id = $1 AND state = 'sending'`,
    [id, outcome.state, outcome.providerId ?? null, outcome.error ?? null, outcome.at],
  );
  return rowCount === 1;
}

/** The incident most recently paged to a person through one of `vias` (an SMS reply without a key). */
export async function lastPagedIncident(
  q: Queryable,
  person: string,
  vias: readonly string[],
): Promise<number | undefined> {
  const { rows } = await q.query<{ incident_id: number }>(
    `SELECT incident_id FROM page_attempts
      WHERE person = $1 AND via = ANY($2::text[]) AND incident_id IS NOT NULL AND state <> 'failed'
      ORDER BY started_at DESC, id DESC LIMIT 1`,
    [person, vias],
  );
  return rows[0] ? Number(rows[0].incident_id) : undefined;
}

/** The channels that reached someone about an incident (told when it is acknowledged). */
export async function pagedVias(q: Queryable, incidentId: number): Promise<string[]> {
  const { rows } = await q.query<{ via: string }>(
    `SELECT DISTINCT via FROM page_attempts WHERE incident_id = $1 AND state IN ('sent', 'uncertain') ORDER BY via`,
    [incidentId],
  );
  return rows.map((r) => r.via);
}
