import type { CheckVerdict } from '../domain/gates.js';
import type { WatchWindowStatus, WindowState } from '../domain/watch.js';
import type { Queryable, Transaction } from './db.js';

/** A change's watch windows (migration 015): what a run counts on and what the live message shows. */
interface WindowRow {
  window_no: number;
  checks: string[];
  every_ms: string | number;
  started_at: Date;
  ends_at: Date;
  runs: number;
  failures_in_a_row: number;
  last_status: CheckVerdict | null;
  last_run_at: Date | null;
  state: WindowState;
  opened_incident_id: string | number | null;
}

const SELECT = `SELECT window_no, checks, every_ms, started_at, ends_at, runs, failures_in_a_row, last_status,
                       last_run_at, state, opened_incident_id FROM change_watches`;

const toWindow = (row: WindowRow): WatchWindowStatus => ({
  window: row.window_no,
  checks: row.checks,
  everyMs: Number(row.every_ms),
  startedAt: new Date(row.started_at),
  endsAt: new Date(row.ends_at),
  runs: row.runs,
  failuresInARow: row.failures_in_a_row,
  lastStatus: row.last_status,
  lastRunAt: row.last_run_at && new Date(row.last_run_at),
  state: row.state,
  openedIncidentId: row.opened_incident_id === null ? null : Number(row.opened_incident_id),
});

export async function readWatch(q: Queryable, changeId: number): Promise<WatchWindowStatus[]> {
  const { rows } = await q.query<WindowRow>(`${SELECT} WHERE incident_id = $1 ORDER BY window_no`, [changeId]);
  return rows.map(toWindow);
}

/** Writes a watch's windows; answers false when the change's watch had already started (nothing written). */
export async function insertWatch(
  tx: Transaction,
  changeId: number,
  windows: readonly WatchWindowStatus[],
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO change_watches (incident_id, window_no, checks, every_ms, started_at, ends_at)
     SELECT $1, w.window_no, w.checks, w.every_ms, w.started_at, w.ends_at
       FROM jsonb_to_recordset($2::jsonb)
            AS w(window_no integer, checks jsonb, every_ms bigint, started_at timestamptz, ends_at timestamptz)
     ON CONFLICT DO NOTHING`,
    [
      changeId,
      JSON.stringify(
        windows.map((w) => ({
          window_no: w.window,
          checks: w.checks,
          every_ms: w.everyMs,
          started_at: w.startedAt,
          ends_at: w.endsAt,
        })),
      ),
    ],
  );
  return rowCount > 0;
}

/** Every window of the change, the one a run is about locked (one run of a window at a time). */
export async function lockWatch(tx: Transaction, changeId: number, window: number): Promise<WatchWindowStatus[]> {
  const { rows } = await tx.query<WindowRow>(
    `${SELECT} WHERE incident_id = $1 ORDER BY window_no = $2 DESC, window_no FOR UPDATE`,
    [changeId, window],
  );
  return rows.map(toWindow).sort((a, b) => a.window - b.window);
}

export async function saveWindow(tx: Transaction, changeId: number, w: WatchWindowStatus): Promise<void> {
  await tx.query(
    `UPDATE change_watches SET runs = $3, failures_in_a_row = $4, last_status = $5, last_run_at = $6, state = $7
      WHERE incident_id = $1 AND window_no = $2`,
    [changeId, w.window, w.runs, w.failuresInARow, w.lastStatus, w.lastRunAt, w.state],
  );
}

/** The windows still watching stop (another window tripped). */
export async function stopWatching(tx: Transaction, changeId: number): Promise<void> {
  await tx.query(`UPDATE change_watches SET state = 'stopped' WHERE incident_id = $1 AND state = 'watching'`, [
    changeId,
  ]);
}

/** The incident a tripped window opened. */
export async function linkTrippedIncident(
  tx: Transaction,
  changeId: number,
  window: number,
  incidentId: number,
): Promise<void> {
  await tx.query(`UPDATE change_watches SET opened_incident_id = $3 WHERE incident_id = $1 AND window_no = $2`, [
    changeId,
    window,
    incidentId,
  ]);
}

/** The change whose watch opened this incident, if one did. */
export async function changeOfIncident(q: Queryable, incidentId: number): Promise<number | undefined> {
  const { rows } = await q.query<{ incident_id: string | number }>(
    'SELECT incident_id FROM change_watches WHERE opened_incident_id = $1 LIMIT 1',
    [incidentId],
  );
  return rows[0] ? Number(rows[0].incident_id) : undefined;
}
