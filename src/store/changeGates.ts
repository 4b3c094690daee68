import type { GateCheckResult, GateState } from '../domain/gates.js';
import type { Incident } from '../domain/incident.js';
import type { Queryable, Transaction } from './db.js';
import { appendTimelineEvent } from './timeline.js';
import type { NewTimelineEvent } from '../domain/timeline.js';
import { COLUMNS, type IncidentRow, toIncident } from './incidentRow.js';

/** A change's gates as stored (migration 014): the latest state per gate; the timeline keeps every press. */
interface GateRow {
  gate: number;
  state: 'checked' | 'go' | 'no-go';
  results: GateCheckResult[];
  actor: string;
  changed_at: Date;
}

/** Each gate's state, by position (gate 1 first); a gate without a row is waiting. */
export async function readGateStates(q: Queryable, incidentId: number, gates: number): Promise<GateState[]> {
  const { rows } = await q.query<GateRow>(
    'SELECT gate, state, results, actor, changed_at FROM change_gates WHERE incident_id = $1',
    [incidentId],
  );
  const states: GateState[] = Array.from({ length: gates }, () => ({ state: 'waiting' }));
  for (const row of rows) {
    if (row.gate < 1 || row.gate > gates) continue;
    const at = new Date(row.changed_at);
    states[row.gate - 1] =
      row.state === 'checked'
        ? { state: 'checked', at, results: row.results }
        : { state: row.state, at, by: row.actor, results: row.results };
  }
  return states;
}

/**
 * Writes a gate's new state. A decided gate (GO or NO-GO) is never overwritten: answers false when it was
 * already decided (two people pressing at once: the second changes nothing).
 */
export async function saveGateState(
  q: Queryable,
  incidentId: number,
  gate: number,
  next: { state: 'checked' | 'go' | 'no-go'; results: readonly GateCheckResult[]; actor: string; at: Date },
): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO change_gates (incident_id, gate, state, results, actor, changed_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (incident_id, gate) DO UPDATE
       SET state = EXCLUDED.state, results = EXCLUDED.results, actor = EXCLUDED.actor, changed_at = EXCLUDED.changed_at
       WHERE change_gates.state = 'checked'`,
    [incidentId, gate, next.state, JSON.stringify(next.results), next.actor, next.at],
  );
  return rowCount > 0;
}

export async function listOpenChanges(q: Queryable, limit = 50): Promise<Incident[]> {
  const { rows } = await q.query<IncidentRow>(
    `SELECT ${COLUMNS} FROM incidents WHERE kind = 'change' AND status <> 'resolved'
      ORDER BY opened_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return rows.map(toIncident);
}

/**
 * A gate's new state with its timeline event, in the caller's transaction: the live message's version moves
 * so it re-renders. Answers false (nothing written) when the gate was already decided.
 */
export async function recordGateState(
  tx: Transaction,
  incidentId: number,
  gate: number,
  next: { state: 'checked' | 'go' | 'no-go'; results: readonly GateCheckResult[]; actor: string; at: Date },
  event: Pick<NewTimelineEvent, 'kind' | 'data'>,
): Promise<boolean> {
  if (!(await saveGateState(tx, incidentId, gate, next))) return false;
  await tx.query('UPDATE incidents SET version = version + 1 WHERE id = $1', [incidentId]);
  await appendTimelineEvent(tx, { incidentId, occurredAt: next.at, actor: next.actor, ...event });
  return true;
}
