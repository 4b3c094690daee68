import type { Queryable } from './db.js';

export async function findStakeholderThread(
  q: Queryable,
  incidentId: number,
  channelId: string,
): Promise<string | undefined> {
  const { rows } = await q.query<{ thread_ts: string }>(
    'SELECT thread_ts FROM stakeholder_threads WHERE incident_id = $1 AND channel_id = $2',
    [incidentId, channelId],
  );
  return rows[0]?.thread_ts;
}

export async function saveStakeholderThread(
  q: Queryable,
  incidentId: number,
  channelId: string,
  threadTs: string,
): Promise<void> {
  await q.query(
    'INSERT INTO stakeholder_threads (incident_id, channel_id, thread_ts) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [incidentId, channelId, threadTs],
  );
}
