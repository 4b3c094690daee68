import type { Queryable } from './db.js';

export type RunState =
  | 'awaiting_approval'
  | 'approved'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'timed_out'
  | 'dry_run'
  | 'denied'
  | 'expired'
  | 'interrupted'
  | 'cancelled';
export const ACTIVE_STATES: readonly RunState[] = ['awaiting_approval', 'approved', 'running'];

export interface ActionRun {
  id: number;
  incidentId: number;
  action: string;
  step: number | null;
  state: RunState;
  dryRun: boolean;
  plan: string;
  requestedBy: string;
  requestedAt: Date;
  decidedBy: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  output: string | null;
  error: string | null;
  targetMs: number | null;
  approvalTs: string | null;
  /** The full plan resolved at request time (see actions/resolved.ts); null for runs from before it was kept. */
  resolvedPlan: unknown;
  owner: string | null;
  ownerHost: string | null;
  ownerPid: number | null;
  heartbeatAt: Date | null;
  childPid: number | null;
}

interface Row {
  id: number;
  incident_id: number;
  action: string;
  step: number | null;
  state: RunState;
  dry_run: boolean;
  plan: string;
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  started_at: Date | null;
  finished_at: Date | null;
  output: string | null;
  error: string | null;
  target_ms: number | null;
  approval_ts: string | null;
  resolved_plan: unknown;
  owner: string | null;
  owner_host: string | null;
  owner_pid: number | null;
  heartbeat_at: Date | null;
  child_pid: number | null;
}

const COLUMNS =
  'id, incident_id, action, step, state, dry_run, plan, requested_by, requested_at, decided_by, started_at, ' +
  'finished_at, output, error, target_ms, approval_ts, ' +
  'resolved_plan, owner, owner_host, owner_pid, heartbeat_at, child_pid';
const toRun = (r: Row): ActionRun => ({
  id: Number(r.id),
  incidentId: Number(r.incident_id),
  action: r.action,
  step: r.step,
  state: r.state,
  dryRun: r.dry_run,
  plan: r.plan,
  requestedBy: r.requested_by,
  requestedAt: new Date(r.requested_at),
  decidedBy: r.decided_by,
  startedAt: r.started_at && new Date(r.started_at),
  finishedAt: r.finished_at && new Date(r.finished_at),
  output: r.output,
  error: r.error,
  targetMs: r.target_ms,
  approvalTs: r.approval_ts,
  resolvedPlan: r.resolved_plan,
  owner: r.owner,
  ownerHost: r.owner_host,
  ownerPid: r.owner_pid,
  heartbeatAt: r.heartbeat_at && new Date(r.heartbeat_at),
  childPid: r.child_pid,
});

export interface NewRun {
  incidentId: number;
  action: string;
  step?: number;
  idempotencyKey: string;
  state: 'awaiting_approval' | 'approved';
  dryRun: boolean;
  plan: string;
  resolvedPlan: unknown;
  requestedBy: string;
  requestedAt: Date;
  targetMs?: number;
}

export type Insert = { inserted: ActionRun } | { duplicate: true } | { active: ActionRun };

/**
 * Records a request to run an action. The unique idempotency key makes a
 * retried request a no-op; the partial unique index makes a second request
 * while one is active a refusal. Both hold with Redis down, and neither
 * aborts the caller's transaction (ON CONFLICT DO NOTHING).
 */
export async function insertRun(q: Queryable, run: NewRun): Promise<Insert> {
  const { rows } = await q.query<Row>(
    `INSERT INTO action_runs (incident_id, action, step, idempotency_key, state, dry_run, plan, requested_by, requested_at, target_ms,
       resolved_plan)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    [
      run.incidentId,
      run.action,
      run.step ?? null,
      run.idempotencyKey,
      run.state,
      run.dryRun,
      run.plan,
      run.requestedBy,
      run.requestedAt,
      run.targetMs ?? null,
      JSON.stringify(run.resolvedPlan),
    ],
  );
  if (rows[0]) return { inserted: toRun(rows[0]) };
  const same = await q.query('SELECT 1 FROM action_runs WHERE idempotency_key = $1', [run.idempotencyKey]);
  if (same.rowCount > 0) return { duplicate: true };
  const active = await activeRun(q, run.incidentId, run.action);
  if (active) return { active };
  // The active run finished between the insert and this look: the caller may ask again.
  return { duplicate: true };
}

export async function activeRun(q: Queryable, incidentId: number, action: string): Promise<ActionRun | undefined> {
  const { rows } = await q.query<Row>(
    `SELECT ${COLUMNS} FROM action_runs WHERE incident_id = $1 AND action = $2 AND state = ANY($3::text[])`,
    [incidentId, action, ACTIVE_STATES],
  );
  return rows[0] && toRun(rows[0]);
}

export async function getRun(q: Queryable, id: number): Promise<ActionRun | undefined> {
  const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM action_runs WHERE id = $1`, [id]);
  return rows[0] && toRun(rows[0]);
}

export async function runsOf(q: Queryable, incidentId: number): Promise<ActionRun[]> {
  const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM action_runs WHERE incident_id = $1 ORDER BY id`, [
    incidentId,
  ]);
  return rows.map(toRun);
}

/** Moves a run from one of `from` to `to`; undefined when it was not in `from` (someone else got there first). */
export async function moveRun(
  q: Queryable,
  id: number,
  from: readonly RunState[],
  to: RunState,
  fields: { at: Date; by?: string; output?: string; error?: string; exitCode?: number | null; httpStatus?: number },
): Promise<ActionRun | undefined> {
  const { rows } = await q.query<Row>(
    `UPDATE action_runs SET state = $3,
       decided_by = CASE WHEN $3 IN ('approved', 'denied') THEN $5 ELSE decided_by END,
       decided_at = CASE WHEN $3 IN ('approved', 'denied', 'expired') THEN $4 ELSE decided_at END,
       started_at = CASE WHEN $3 = 'running' THEN $4 ELSE started_at END,
       finished_at = CASE WHEN $3 IN ('succeeded', 'failed', 'timed_out', 'dry_run', 'interrupted', 'cancelled')
         THEN $4 ELSE finished_at END,
       output = coalesce($6, output), error = coalesce($7, error),
       exit_code = coalesce($8, exit_code), http_status = coalesce($9, http_status)
     WHERE id = $1 AND state = ANY($2::text[])
     RETURNING ${COLUMNS}`,
    [
      id,
      from,
      to,
      fields.at,
      fields.by ?? null,
      fields.output ?? null,
      fields.error ?? null,
      fields.exitCode ?? null,
      fields.httpStatus ?? null,
    ],
  );
  return rows[0] && toRun(rows[0]);
}

export async function setApprovalMessage(q: Queryable, id: number, ts: string): Promise<void> {
  await q.query('UPDATE action_runs SET approval_ts = $2 WHERE id = $1', [id, ts]);
}

/** The process that runs it: its owner id, host and pid; the heartbeat starts now. */
export interface RunOwnerRef {
  id: string;
  host: string;
  pid: number;
}

/** approved → running, owned by this process. Undefined when someone else started it (or it was cancelled). */
export async function startRun(q: Queryable, id: number, owner: RunOwnerRef, at: Date): Promise<ActionRun | undefined> {
  const { rows } = await q.query<Row>(
    `UPDATE action_runs SET state = 'running', started_at = $2, heartbeat_at = $2, owner = $3, owner_host = $4, owner_pid = $5
      WHERE id = $1 AND state = 'approved' RETURNING ${COLUMNS}`,
    [id, at, owner.id, owner.host, owner.pid],
  );
  return rows[0] && toRun(rows[0]);
}

/** The child process (and its process group, of the same id) a run started: killed if the run is interrupted. */
export async function setRunChild(q: Queryable, id: number, pid: number): Promise<void> {
  await q.query('UPDATE action_runs SET child_pid = $2 WHERE id = $1', [id, pid]);
}

/** Keeps every run this process owns alive in the others' eyes. */
export async function heartbeatRuns(q: Queryable, owner: string, at: Date): Promise<number> {
  const { rowCount } = await q.query(
    `UPDATE action_runs SET heartbeat_at = $2 WHERE owner = $1 AND state = 'running'`,
    [owner, at],
  );
  return rowCount;
}

/** A run's end: from `running`, or from `interrupted` when its outcome arrives after it was given up for dead. */
export async function finishRun(
  q: Queryable,
  id: number,
  to: 'succeeded' | 'failed' | 'timed_out' | 'dry_run',
  fields: { at: Date; output?: string; error?: string; exitCode?: number | null; httpStatus?: number },
): Promise<ActionRun | undefined> {
  return moveRun(q, id, ['running', 'interrupted'], to, fields);
}

/** Runs that look orphaned: running, not ours, and either silent for `staleBefore` or owned by a dead process here. */
export async function runningRunsNotOwnedBy(q: Queryable, owner: string): Promise<ActionRun[]> {
  const { rows } = await q.query<Row>(
    `SELECT ${COLUMNS} FROM action_runs WHERE state = 'running' AND owner IS DISTINCT FROM $1 ORDER BY id`,
    [owner],
  );
  return rows.map(toRun);
}

/**
 * running → interrupted, guarded on the heartbeat seen (to the millisecond a Date keeps), so a run whose owner
 * beat again meanwhile is left alone.
 */
export async function interruptRun(
  q: Queryable,
  id: number,
  seenHeartbeat: Date | null,
  at: Date,
  error: string,
): Promise<ActionRun | undefined> {
  const { rows } = await q.query<Row>(
    `UPDATE action_runs SET state = 'interrupted', finished_at = $3, error = $4
      WHERE id = $1 AND state = 'running'
        AND (heartbeat_at IS NULL OR heartbeat_at < $2::timestamptz + interval '1 millisecond')
      RETURNING ${COLUMNS}`,
    [id, seenHeartbeat, at, error],
  );
  return rows[0] && toRun(rows[0]);
}

/** Approved runs nobody started before `before`: the process died between the approval and the start. */
export async function interruptUnstartedRuns(q: Queryable, before: Date, at: Date): Promise<ActionRun[]> {
  const { rows } = await q.query<Row>(
    `UPDATE action_runs SET state = 'interrupted', finished_at = $2,
       error = 'interrupted: approved, but the bot stopped before it started; nothing ran'
      WHERE state = 'approved' AND coalesce(decided_at, requested_at) < $1 RETURNING ${COLUMNS}`,
    [before, at],
  );
  return rows.map(toRun);
}

/** Requests still waiting (for approval, or approved and not started) on an incident: cancelled, as it resolves. */
export async function cancelPendingRuns(q: Queryable, incidentId: number, at: Date): Promise<ActionRun[]> {
  const { rows } = await q.query<Row>(
    `UPDATE action_runs SET state = 'cancelled', finished_at = $2
      WHERE incident_id = $1 AND state IN ('awaiting_approval', 'approved') RETURNING ${COLUMNS}`,
    [incidentId, at],
  );
  return rows.map(toRun);
}
