import type { Incident } from '../domain/incident.js';
import { SYSTEM_ACTOR, type TimelineData, timelineEvent } from '../domain/timeline.js';
import type { Transaction } from '../store/db.js';
import { type StepMove, recordStepMove } from '../store/steps.js';
import type { Actor, AppDeps } from './deps.js';
import { type Reply, text } from './replies.js';
import { meetDeadlinesIn } from './work/deadlines.js';
import { finishChange } from './changeEnd.js';
import { presentProps } from '../domain/defined.js';

/**
 * A step's runner (Run check, Refresh token, Run action) in two moves: the step goes to `running` once, whoever
 * presses; when the runner ends, the step is done (and meets its deadlines) or failed, with the reason.
 */

/** What ran the step: named in its `step.started` event (an action's run is named by its own events). */
export type StepRunnerName = { check: string } | { token: string } | Record<never, never>;

/** How a runner ended. `detail` is the step's short line; it defaults to the reason. */
export type RunnerEnd = { ok: true } | { ok: false; reason: string; detail?: string };

const titleOf = (incident: Pick<Incident, 'playbook'>, step: number) => incident.playbook.steps[step - 1]?.title;

/** The move to `running`. */
export function runnerStartMove(
  incident: Incident,
  step: number,
  runner: StepRunnerName,
  actor: Actor,
  at: Date,
): StepMove {
  return {
    incidentId: incident.id,
    step,
    to: 'running',
    actor: actor.user,
    at,
    ...timelineEvent('step.started', { step, title: titleOf(incident, step), ...runner }),
    ...presentProps({ requestKey: actor.requestKey }),
  };
}

/** The step a runner moves, and its title as the playbook names it (if it still does). */
export interface RunnerStep {
  incidentId: number;
  step: number;
  title?: string | undefined;
}

export const runnerStep = (incident: Pick<Incident, 'id' | 'playbook'>, step: number): RunnerStep => ({
  incidentId: incident.id,
  step,
  title: titleOf(incident, step),
});

type RunnerEndMove = { incidentId: number; step: number; detail?: string } & (
  | { to: 'done'; kind: 'step.done'; data: TimelineData<'step.done'> }
  | { to: 'failed'; kind: 'step.failed'; data: TimelineData<'step.failed'> }
);

/** The move that records a runner's end; the spool carries it for an action run whose end waits for PostgreSQL. */
export function runnerEndMove({ incidentId, step, title }: RunnerStep, end: RunnerEnd): RunnerEndMove {
  return end.ok
    ? { incidentId, step, to: 'done', ...timelineEvent('step.done', { step, title }) }
    : {
        incidentId,
        step,
        to: 'failed',
        detail: end.detail ?? end.reason,
        ...timelineEvent('step.failed', { step, title, reason: end.reason }),
      };
}

/**
 * The first move of a step's runner. Answers the reply to give when it did not start (a retried press, or
 * already running/settled), else undefined.
 */
export async function startStepRunner(
  deps: AppDeps,
  incident: Incident,
  step: number,
  runner: StepRunnerName,
  actor: Actor,
): Promise<Reply | undefined> {
  const started = await recordStepMove(deps.db, runnerStartMove(incident, step, runner, actor, deps.clock.now()));
  if (!started.changed)
    return started.duplicate
      ? { kind: 'none' }
      : text(`Step ${step} is already ${started.status?.state ?? 'running'}.`);
  await deps.live.refresh(incident.id);
  return undefined;
}

/** Records a runner's end in `q`: a step done meets its deadlines in the same transaction. */
export async function recordRunnerEnd(
  tx: Transaction,
  of: RunnerStep,
  end: RunnerEnd,
  at: Date,
  requestKey?: string,
): Promise<void> {
  const moved = await recordStepMove(tx, {
    ...runnerEndMove(of, end),
    actor: SYSTEM_ACTOR,
    at,
    ...presentProps({ requestKey }),
  });
  if (moved.changed && end.ok) await meetDeadlinesIn(tx, of.incidentId, { step: of.step }, at);
}

/** The last move of a check's or token's runner: its end recorded in one transaction, then the live message. */
export async function finishStepRunner(deps: AppDeps, incident: Incident, step: number, end: RunnerEnd): Promise<void> {
  const at = deps.clock.now();
  await deps.db.transaction((tx) => recordRunnerEnd(tx, runnerStep(incident, step), end, at));
  await deps.live.refresh(incident.id);
  if (end.ok && incident.kind === 'change') await finishChange(deps, incident.id);
}
