import { type Queryable, onlyRow } from './db.js';

/**
 * Claims one tick of a scheduled job: whichever replica's conditional upsert
 * wins runs it; the others, woken by the same cron tick, do nothing.
 */
export async function claimTick(q: Queryable, name: string, tick: Date): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO job_ticks (name, last_run_at) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET last_run_at = EXCLUDED.last_run_at WHERE job_ticks.last_run_at < EXCLUDED.last_run_at`,
    [name, tick],
  );
  return rowCount === 1;
}

export interface GroupState {
  consecutiveFailures: number;
  lastStatus: string | null;
  incidentId: number | null;
}

/** Reads and locks a scheduled group's state (created on first use). */
export async function lockGroupState(q: Queryable, name: string): Promise<GroupState> {
  await q.query('INSERT INTO check_groups (name) VALUES ($1) ON CONFLICT DO NOTHING', [name]);
  const { rows } = await q.query<{
    consecutive_failures: number;
    last_status: string | null;
    incident_id: number | null;
  }>('SELECT consecutive_failures, last_status, incident_id FROM check_groups WHERE name = $1 FOR UPDATE', [name]);
  const row = onlyRow(rows);
  return {
    consecutiveFailures: row.consecutive_failures,
    lastStatus: row.last_status,
    incidentId: row.incident_id === null ? null : Number(row.incident_id),
  };
}

export async function saveGroupState(q: Queryable, name: string, state: GroupState, at: Date): Promise<void> {
  await q.query(
    'UPDATE check_groups SET consecutive_failures = $2, last_status = $3, incident_id = $4, last_run_at = $5 WHERE name = $1',
    [name, state.consecutiveFailures, state.lastStatus, state.incidentId, at],
  );
}
