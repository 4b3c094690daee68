import { type StepState, type StepStatus, stepStatesBefore } from '../domain/steps.js';
import type { TimelineData, TimelineEvent } from '../domain/timeline.js';
import { type Queryable, onlyRow } from './db.js';

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
  const { rows } = await q.query<StepRow>(
    'SELECT step, state, actor, changed_at, detail FROM step_states WHERE incident_id = $1 ORDER BY step',
    [incidentId],
  );
  return rows.map(toStatus);
}

type StepKind = 'step.started' | 'step.done' | 'step.skipped' | 'step.failed';

/** A step kind's data; the step's number is written into it either way. */
type StepData<K extends StepKind> = Omit<TimelineData<K>, 'step'> & { step?: number };

/** A step's event, built with `timelineEvent`. */
export type StepEvent = { [K in StepKind]: { kind: K; data?: StepData<K> } }[StepKind];

export type StepMove = {
  incidentId: number;
  step: number;
  to: StepState;
  actor: string;
  at: Date;
  detail?: string;
  requestKey?: string;
} & StepEvent;

export type StepChange =
  | { changed: true; status: StepStatus; event: TimelineEvent }
  | { changed: false; status: StepStatus | undefined; duplicate?: boolean };

/**
 * Moves a step if the move is allowed from its current state, and records it,
 * in one statement: claim the request, move the step, bump the incident's
 * version, write the event. A second "Done" on a done step changes nothing and
 * writes nothing, and costs one round trip (a button people press often).
 */
export async function recordStepMove(q: Queryable, move: StepMove): Promise<StepChange> {
  const { rows } = await q.query<{
    claimed: boolean;
    moved: StepRow | null;
    event: EventJson | null;
    current: StepRow | null;
  }>(
    `WITH claim AS (
       INSERT INTO handled_requests (key, handled_at) SELECT $8::text, $5 WHERE $8::text IS NOT NULL
       ON CONFLICT (key) DO NOTHING RETURNING key
     ), moved AS (
       INSERT INTO step_states AS s (incident_id, step, state, actor, changed_at, detail)
       SELECT $1, $2, $3, $4, $5, $6 WHERE $8::text IS NULL OR EXISTS (SELECT 1 FROM claim)
       ON CONFLICT (incident_id, step) DO UPDATE
         SET state = EXCLUDED.state, actor = EXCLUDED.actor, changed_at = EXCLUDED.changed_at, detail = EXCLUDED.detail
         WHERE s.state = ANY($7::text[])
       RETURNING step, state, actor, changed_at, detail
     ), touched AS (
       UPDATE incidents SET version = version + 1 WHERE id = $1 AND EXISTS (SELECT 1 FROM moved) RETURNING id
     ), event AS (
       INSERT INTO timeline_events (incident_id, occurred_at, actor, kind, data)
       SELECT $1, $5, $4, $9, $10::jsonb FROM moved
       RETURNING id, incident_id, occurred_at, actor, kind, data
     )
     SELECT ($8::text IS NULL OR EXISTS (SELECT 1 FROM claim)) AS claimed,
            (SELECT row_to_json(m) FROM moved m) AS moved,
            (SELECT row_to_json(e) FROM event e) AS event,
            (SELECT row_to_json(c) FROM (
               SELECT step, state, actor, changed_at, detail FROM step_states WHERE incident_id = $1 AND step = $2
             ) c) AS current,
            (SELECT count(*) FROM touched) AS touched`,
    [
      move.incidentId,
      move.step,
      move.to,
      move.actor,
      move.at,
      move.detail ?? null,
      stepStatesBefore(move.to),
      move.requestKey ?? null,
      move.kind,
      JSON.stringify({ step: move.step, ...move.data }),
    ],
  );
  const row = onlyRow(rows);
  // `current` is the state before this statement: what a refused move reports.
  const current = row.current ? toStatus(row.current) : undefined;
  if (!row.claimed) return { changed: false, duplicate: true, status: current };
  if (!row.moved || !row.event) return { changed: false, status: current };
  q.timelineWritten?.([row.event.kind]);
  return { changed: true, status: toStatus(row.moved), event: toEvent(row.event) };
}

interface EventJson {
  id: number;
  incident_id: number;
  occurred_at: string;
  actor: string;
  kind: string;
  data: Record<string, unknown>;
}

const toEvent = (e: EventJson): TimelineEvent => ({
  id: Number(e.id),
  incidentId: Number(e.incident_id),
  occurredAt: new Date(e.occurred_at),
  actor: e.actor,
  // The boundary: the event this statement just wrote, so its kind is the one passed in.
  kind: e.kind as TimelineEvent['kind'],
  data: e.data,
});
