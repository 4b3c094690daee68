import type { Incident } from '../domain/incident.js';
import { recordStepMove } from '../store/steps.js';
import type { Actor, AppDeps } from './deps.js';
import { type Reply, text } from './replies.js';

/**
 * The first move of a step's runner (check or token refresh): the step goes to `running` once, whoever presses.
 * Answers the reply to give when it did not start (a retried press, or already running/settled), else undefined.
 */
export async function startStepRunner(
  deps: AppDeps,
  incident: Incident,
  step: number,
  runner: { check: string } | { token: string },
  actor: Actor,
): Promise<Reply | undefined> {
  const started = await recordStepMove(deps.db, {
    incidentId: incident.id,
    step,
    to: 'running',
    kind: 'step.started',
    actor: actor.user,
    at: deps.clock.now(),
    data: { title: incident.playbook.steps[step - 1]?.title, ...runner },
    ...(actor.requestKey ? { requestKey: actor.requestKey } : {}),
  });
  if (!started.changed)
    return started.duplicate
      ? { kind: 'none' }
      : text(`Step ${step} is already ${started.status?.state ?? 'running'}.`);
  await deps.live.refresh(incident.id);
  return undefined;
}
