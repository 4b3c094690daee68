import { type StepState, type StepStatus, stepStatesBefore } from '../domain/steps.js';
import type { TimelineEvent, TimelineKind } from '../domain/timeline.js';
import { type Database, type Queryable, type Transaction, atomically } from './db.js';
import { touchIncident } from './incidents.js';
import { claimRequest } from './requests.js';
import { appendTimelineEvent } from './timeline.js';

interface StepRow {
  step: number;
  state: StepState;
  actor: string;
  changed_at: Date;
  detail: string | null;
}

const toStatus = (row: StepRow): StepStatus => ({
  step: row.step,
  state: row.state,
  actor: row.actor,
  changedAt: new Date(row.changed_at),
  detail: row.detail,
});

export async function readStepStates(q: Queryable, incidentId: number): Promise<StepStatus[]> {
  const { rows } = await q.query<StepRow>('SELECT step, state, actor, changed_at, detail FROM step_states WHERE incident_id = $1 ORDER BY step', [incidentId]);
  return rows.map(toStatus);
}

export interface StepMove {
  incidentId: number;
  step: number;
  to: StepState;
  actor: string;
  at: Date;
  detail?: string;
  kind: TimelineKind;
  data?: Record<string, unknown>;
  requestKey?: string;
}

export type StepChange = { changed: true; status: StepStatus; event: TimelineEvent } | { changed: false; status: StepStatus | undefined; duplicate?: boolean };

/**
 * Moves a step if the move is allowed from its current state, and records it.
 * A second "Done" on a done step changes nothing and writes nothing.
 */
export function moveStep(q: Database | Transaction, move: StepMove): Promise<StepChange> {
  return atomically(q, async (tx) => {
    const current = async () => (await readStepStates(tx, move.incidentId)).find((s) => s.step === move.step);
    if (move.requestKey && !(await claimRequest(tx, move.requestKey, move.at))) return { changed: false, duplicate: true, status: await current() };
    const { rows } = await tx.query<StepRow>(
      `INSERT INTO step_states AS s (incident_id, step, state, actor, changed_at, detail)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (incident_id, step) DO UPDATE
         SET state = EXCLUDED.state, actor = EXCLUDED.actor, changed_at = EXCLUDED.changed_at, detail = EXCLUDED.detail
         WHERE s.state = ANY($7::text[])
       RETURNING step, state, actor, changed_at, detail`,
      [move.incidentId, move.step, move.to, move.actor, move.at, move.detail ?? null, stepStatesBefore(move.to)],
    );
    if (!rows[0]) return { changed: false, status: await current() };
    await touchIncident(tx, move.incidentId);
    const event = await appendTimelineEvent(tx, {
      incidentId: move.incidentId,
      occurredAt: move.at,
      actor: move.actor,
      kind: move.kind,
      data: { step: move.step, ...move.data },
    });
    return { changed: true, status: toStatus(rows[0]), event };
  });
}
