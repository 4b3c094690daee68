import type { CheckResult } from '../checks/index.js';
import {
  type ChangeProgress,
  type Decision,
  type GateCheckResult,
  changeProgress,
  decideGate,
  worstVerdict,
} from '../domain/gates.js';
import type { Incident } from '../domain/incident.js';
import { timelineEvent } from '../domain/timeline.js';
import { badRequest } from '../errors.js';
import type { Gate } from '../playbooks/schema.js';
import { readGateStates, recordGateState } from '../store/changeGates.js';
import { claimRequest } from '../store/requests.js';
import { readStepStates } from '../store/steps.js';
import type { Queryable } from '../store/db.js';
import { incidentFor } from './access.js';
import { afterChange } from './changes.js';
import type { Actor, AppDeps } from './deps.js';
import { checksFor, runInThread } from './health.js';
import { NO_REPLY, type Reply, text } from './replies.js';
import { enqueueStatusUpdate } from './work/notifications.js';
import { finishChange } from './changeEnd.js';

/**
 * A change's GO/NO-GO gates, pressed by people: a gate's checks run when its phase is done; GO is offered only
 * when they pass; NO-GO halts the change and offers its rollback. Each press is one timeline event with who,
 * when and the results they saw; two people pressing at once decide the gate once.
 */

type GateTarget = { incidentId: number; gate: number };

/** The Run gate checks button: every check (or group) of the gate runs; the results say whether GO is offered. */
export async function runGateChecks(deps: AppDeps, target: GateTarget, actor: Actor): Promise<Reply> {
  const { change, gate } = await gateAtHand(deps, target, 'run the gate checks of', actor);
  if (gate.checks.length === 0) return text(`Gate ${target.gate} has no checks: it is a person's judgement.`);
  for (const name of gate.checks) checksFor(deps, name); // an unknown name is refused before anything runs
  const results: GateCheckResult[] = [];
  for (const name of gate.checks) {
    const ran: CheckResult[] = await runInThread(deps, change, name, actor);
    results.push({ check: name, status: worstVerdict(ran.map((r) => r.status)) });
  }
  const at = deps.clock.now();
  const data = { gate: target.gate, name: gate.name, title: gate.title, results };
  const recorded = await deps.db.transaction((tx) =>
    recordGateState(
      tx,
      change.id,
      target.gate,
      { state: 'checked', results, actor: actor.user, at },
      timelineEvent('change.gate_checked', data),
    ),
  );
  if (!recorded) return text(`Gate ${target.gate} of ${change.key} was decided while its checks ran.`);
  await afterChange(deps, change);
  const failed = results.filter((r) => r.status === 'fail').map((r) => r.check);
  return text(
    failed.length === 0
      ? `Gate ${target.gate} of ${change.key}: every check passed; GO is offered.`
      : `Gate ${target.gate} of ${change.key}: ${failed.join(', ')} failed, so GO is not offered. ` +
          'Run the checks again once it is fixed, or press NO-GO.',
  );
}

/** GO or NO-GO at the gate at hand. GO past the last gate with every step done completes the change. */
export async function decideAtGate(
  deps: AppDeps,
  target: GateTarget,
  decision: Decision,
  actor: Actor,
): Promise<Reply> {
  const { change, gate, states } = await gateAtHand(deps, target, 'decide a gate of', actor);
  const at = deps.clock.now();
  const decided = decideGate(gate, states[target.gate - 1]!, decision, actor.user, at, change.playbook.rollback);
  if (!decided.ok) throw badRequest(decided.reason);
  const { state, rollback } = decided;
  const data = { gate: target.gate, name: gate.name, title: gate.title, results: state.results };
  const recorded = await deps.db.transaction(async (tx) => {
    if (actor.requestKey && !(await claimRequest(tx, actor.requestKey, at))) return 'duplicate';
    const saved = await recordGateState(
      tx,
      change.id,
      target.gate,
      { state: state.state, results: state.results, actor: actor.user, at },
      decision === 'go'
        ? timelineEvent('change.gate_go', data)
        : timelineEvent('change.gate_no_go', { ...data, rollback }),
    );
    if (saved && decision === 'no-go')
      await enqueueStatusUpdate(tx, deps, change, { kind: 'change-halted', gate: target.gate, title: gate.title }, at);
    return saved ? 'decided' : 'already';
  });
  if (recorded === 'duplicate') return NO_REPLY;
  if (recorded === 'already') return text(`Gate ${target.gate} of ${change.key} was already decided.`);
  const titles = rollback.map((name) => deps.config.actions[name]?.title ?? name);
  await afterChange(deps, change, {
    kind: 'changed',
    actor: actor.user,
    key: change.key,
    change: { kind: 'gate', gate: target.gate, title: gate.title, decision, rollback: titles },
  });
  if (decision === 'go') {
    await finishChange(deps, change.id);
    return text(`GO at gate ${target.gate} of ${change.key}.`);
  }
  return text(
    `NO-GO at gate ${target.gate}: ${change.key} is halted.` +
      (titles.length ? ` Its rollback is offered in the live message: ${titles.join(', ')}.` : ''),
  );
}

/** The change a gate button names, the gate, and the gate states, once the change stands at that gate. */
async function gateAtHand(deps: AppDeps, target: GateTarget, what: string, actor: Actor) {
  const change = await incidentFor(deps, target, { intent: 'change', what, actor });
  if (change.kind !== 'change') throw badRequest(`${change.key} is an incident; it has no gates.`);
  const gate: Gate | undefined = change.playbook.gates[target.gate - 1];
  if (!gate)
    throw badRequest(`${change.key} has ${change.playbook.gates.length} gates; there is no gate ${target.gate}.`);
  if (change.status === 'resolved') throw badRequest(`${change.key} has ended; its gates are closed.`);
  const { progress, states } = await standing(deps.db, change);
  const refusal = notAtGate(progress, target.gate);
  if (refusal) throw badRequest(`${change.key}: ${refusal}`);
  return { change, gate, states };
}

/** Why the gate is not at hand, or undefined when it is. */
function notAtGate(progress: ChangeProgress, gate: number): string | undefined {
  switch (progress.kind) {
    case 'at-gate':
      return progress.gate === gate ? undefined : `gate ${progress.gate} comes first.`;
    case 'in-phase':
      if (progress.gate !== undefined && progress.gate < gate) return `gate ${progress.gate} comes first.`;
      if (progress.gate === gate)
        return `finish steps ${progress.stepsLeft.join(', ')} first (done or skipped); then gate ${gate} opens.`;
      return `gate ${gate} is already decided.`;
    case 'halted':
      return `the change was halted by NO-GO at gate ${progress.gate}.`;
    case 'completed':
      return `gate ${gate} is already decided.`;
  }
}

/** Where a change stands, with its gate states. */
export async function standing(q: Queryable, change: Incident) {
  const [steps, states] = await Promise.all([
    readStepStates(q, change.id),
    readGateStates(q, change.id, change.playbook.gates.length),
  ]);
  const done = new Set(steps.filter((s) => s.state === 'done' || s.state === 'skipped').map((s) => s.step));
  return { progress: changeProgress(change.playbook, done, states), states };
}
