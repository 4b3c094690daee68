import { runnerOf } from '../domain/steps.js';
import type { StepState } from '../domain/steps.js';
import { type TimelineKind, timelineEvent } from '../domain/timeline.js';
import { badRequest } from '../errors.js';
import { recordStepMove } from '../store/steps.js';
import { afterChange } from './changes.js';
import { finishChange } from './changeEnd.js';
import { recordOnce } from './record.js';
import { meetDeadlinesIn } from './work/deadlines.js';
import { incidentFor } from './access.js';
import type { Actor, AppDeps } from './deps.js';
import type { Target } from './lifecycle.js';
import { NO_REPLY, type Reply, text } from './replies.js';
import { presentProps } from '../domain/defined.js';

const MOVES = {
  done: { to: 'done', kind: 'step.done', verb: 'done' },
  skip: { to: 'skipped', kind: 'step.skipped', verb: 'skipped' },
} as const satisfies Record<string, { to: StepState; kind: TimelineKind; verb: string }>;

/** Done or Skip on a step: its button, or `/incident step <n> done|skip`. */
export async function moveStep(
  deps: AppDeps,
  target: Target,
  step: number,
  move: keyof typeof MOVES,
  actor: Actor,
): Promise<Reply> {
  const incident = await incidentFor(deps, target, { intent: 'change', what: 'move a step of', actor });
  const playbookStep = incident.playbook.steps[step - 1];
  if (!playbookStep)
    throw badRequest(`${incident.key} has steps 1 to ${incident.playbook.steps.length}; there is no step ${step}.`);
  if (incident.status === 'resolved') return text(`${incident.key} is resolved; its steps are closed.`);
  const { to, kind, verb } = MOVES[move];
  const at = deps.clock.now();
  const change = await deps.db.transaction(async (tx) => {
    const change = await recordStepMove(tx, {
      incidentId: incident.id,
      step,
      to,
      actor: actor.user,
      at,
      ...timelineEvent(kind, { step, title: playbookStep.title }),
      ...presentProps({ requestKey: actor.requestKey }),
    });
    if (change.changed && to === 'done') await meetDeadlinesIn(tx, incident.id, { step }, at);
    return change;
  });
  if (!change.changed) {
    if (change.duplicate) return NO_REPLY;
    const by = change.status?.actor;
    const state = change.status?.state ?? 'settled';
    return { kind: 'step-already', step, key: incident.key, state, ...presentProps({ by }) };
  }
  await afterChange(deps, incident);
  if (incident.kind === 'change') await finishChange(deps, incident.id);
  return text(`Step ${step} of ${incident.key} is ${verb}.`);
}

/**
 * The step's own button (Run check, Refresh token, Run action). Until the
 * engine behind it is configured, the request is recorded and said plainly.
 */
export async function requestStepRun(deps: AppDeps, target: Target, step: number, actor: Actor): Promise<Reply> {
  const incident = await incidentFor(deps, target, { intent: 'change', what: 'run a step of', actor });
  const playbookStep = incident.playbook.steps[step - 1];
  if (!playbookStep) throw badRequest(`${incident.key} has no step ${step}.`);
  const runner = runnerOf(playbookStep);
  if (runner.kind === 'manual') return text(`Step ${step} is done by hand: press Done when it is.`);
  const runners = deps.stepRunners?.[runner.kind];
  if (runners) return runners(deps, incident, step, runner.name, actor);
  const written = await recordOnce(deps, actor, {
    incidentId: incident.id,
    occurredAt: deps.clock.now(),
    ...timelineEvent('step.requested', {
      step,
      title: playbookStep.title,
      runner: runner.kind,
      name: runner.name,
      configured: false,
    }),
  });
  if (!written) return NO_REPLY;
  if (incident.channelId && incident.messageTs) {
    await deps.slack.postInThread(incident.channelId, incident.messageTs, {
      kind: 'step-not-configured',
      actor: actor.user,
      step,
      title: playbookStep.title,
      runner: runner.kind,
      name: runner.name,
    });
  }
  return { kind: 'step-runner-missing', step, runner: runner.kind, name: runner.name };
}
