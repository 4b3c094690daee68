import { resolvePlan } from '../actions/index.js';
import type { ActionConfig } from '../config/actions.js';
import { inputPlaceholders, parseInputs } from '../domain/actionInputs.js';
import { timelineEvent } from '../domain/timeline.js';
import { badRequest, refused } from '../errors.js';
import { getRun, insertRun, moveRun } from '../store/actionRuns.js';
import { announceKey, announceWork } from './work/approval.js';
import { appendTimelineEvent } from '../store/timeline.js';
import { findWorkByKey, scheduleWork } from '../store/work.js';
import { incidentFor } from './access.js';
import { expireApproval, showDecision } from './actionApprovals.js';
import { actionsOf, describePlan, isDryRun, placeholdersOf } from './actionOffer.js';
import { findIncident } from './context.js';
import type { Actor, AppDeps } from './deps.js';
import { type Ran, executeRun } from './executeRun.js';
import type { Target } from './lifecycle.js';
import { isAllowed } from './permissions.js';
import { recordOnce } from './record.js';
import { NO_REPLY, type Reply, actionReply, text } from './replies.js';
import { newWork } from './work/payloads.js';
import { presentProps } from '../domain/defined.js';

/** The sentence for refused inputs: what was not run, and each refused value's rule. */
export function inputsRefused(title: string, errors: Record<string, string>): string {
  return `${title} was not run: ${Object.values(errors).join(' ')} Press its button to fill the form again.`;
}

/**
 * A press of a rollback or action button (or `/incident rollback <action>`):
 * checked against `allowed` on the server, recorded once per request, then
 * run, or held for a second person's approval.
 */
export async function requestAction(
  deps: AppDeps,
  target: Target,
  name: string,
  actor: Actor,
  inputs: Record<string, unknown> = {},
): Promise<Reply> {
  const incident = await incidentFor(deps, target, { intent: 'change', what: 'request an action on', actor });
  const offered = actionsOf(deps, incident).find((a) => a.name === name);
  if (!offered) throw refused({ kind: 'no-action', key: incident.key, action: name });
  if (incident.status === 'resolved') return text(`${incident.key} is resolved; its actions are closed.`);
  const { config } = offered;
  const at = deps.clock.now();
  if (!(await isAllowed(deps, config.allowed, actor.user))) {
    await recordOnce(deps, actor, {
      incidentId: incident.id,
      occurredAt: at,
      ...timelineEvent('action.refused', { action: name, reason: 'not allowed' }),
    });
    return actionReply(config.title, { kind: 'not-allowed' });
  }
  if (config.only_if && config.only_if.value !== config.only_if.equals) {
    await recordOnce(deps, actor, {
      incidentId: incident.id,
      occurredAt: at,
      ...timelineEvent('action.refused', { action: name, reason: `guard: ${config.only_if.because}` }),
    });
    throw badRequest(`${config.title} was not run: ${config.only_if.because}`);
  }
  // What a person filled in is parsed here, on the server, whoever sent it; a refused value runs and records nothing.
  const filled = parseInputs(config.inputs, inputs);
  if (!filled.ok) throw badRequest(inputsRefused(config.title, filled.errors));
  const dryRun = isDryRun(deps, config);
  // The whole plan is resolved now and kept with the run: what was asked for (and approved) is what runs.
  const resolvedPlan = resolvePlan(config, {
    ...placeholdersOf(incident, actor.user),
    ...inputPlaceholders(filled.values),
  });
  const plan = resolvedPlan.summary;
  const needsApproval = config.approval === 'required';
  const expiresAt = new Date(at.getTime() + config.approval_expires);
  // The run, its event and (with approval) its expiry are one transaction.
  const { inserted, announceId } = await deps.db.transaction(async (tx) => {
    const inserted = await insertRun(tx, {
      incidentId: incident.id,
      action: name,
      ...(offered.step ? { step: offered.step } : {}),
      idempotencyKey: actor.requestKey ?? `direct:${at.getTime()}:${actor.user}:${name}`,
      state: needsApproval ? 'awaiting_approval' : 'approved',
      dryRun,
      plan,
      resolvedPlan,
      requestedBy: actor.user,
      requestedAt: at,
      ...(config.target_time ? { targetMs: config.target_time } : {}),
    });
    if ('inserted' in inserted) {
      const run = inserted.inserted;
      await appendTimelineEvent(tx, {
        incidentId: incident.id,
        occurredAt: at,
        actor: actor.user,
        ...timelineEvent('action.requested', { action: name, runId: run.id, plan, dryRun, approval: needsApproval }),
      });
      if (needsApproval) {
        await scheduleWork(
          tx,
          [
            newWork(
              'action.expire',
              { runId: run.id },
              { incidentId: incident.id, dueAt: expiresAt, dedupeKey: `action.expire:${run.id}` },
            ),
            // Its approval request is durable work too: never a run held for approval with no request to approve.
            announceWork(incident.id, run.id, at),
          ],
          at,
        );
        return { inserted, announceId: await findWorkByKey(tx, announceKey(run.id)) };
      }
    }
    return { inserted, announceId: undefined };
  });
  if ('duplicate' in inserted) return NO_REPLY;
  if ('active' in inserted) {
    const run = inserted.active;
    const waiting = run.state === 'awaiting_approval';
    return actionReply(config.title, { kind: 'busy', key: incident.key, waiting, requestedBy: run.requestedBy });
  }
  const run = inserted.inserted;
  if (!needsApproval) return ranReply(await executeRun(deps, incident, run, config, actor.user), config);
  // Posted now when the incident is placed; else as soon as it is, and again if Slack fails it (work/approval.ts).
  if (announceId !== undefined) await deps.runWorkNow(announceId);
  return actionReply(config.title, { kind: 'awaits-approval', key: incident.key });
}

/** Approve or Deny on an approval request: by someone allowed, and never by the requester (who may deny, to cancel). */
export async function decideAction(
  deps: AppDeps,
  runId: number,
  decision: 'approve' | 'deny',
  actor: Actor,
): Promise<Reply> {
  const run = await getRun(deps.db, runId);
  if (!run) throw badRequest('That request no longer exists.');
  const incident = await findIncident(deps.db, { incidentId: run.incidentId });
  const config = deps.config.actions[run.action];
  if (!config) throw refused({ kind: 'action-not-configured', action: run.action });
  const at = deps.clock.now();
  const refuse = async (reason: string, answer: string | Reply) => {
    await recordOnce(deps, actor, {
      incidentId: incident.id,
      occurredAt: at,
      ...timelineEvent('action.refused', { action: run.action, runId, reason }),
    });
    return typeof answer === 'string' ? text(answer) : answer;
  };
  const self = actor.user === run.requestedBy;
  if (incident.status === 'resolved')
    return refuse('incident resolved', actionReply(config.title, { kind: 'incident-resolved', key: incident.key }));
  if (run.state !== 'awaiting_approval')
    return refuse(
      `no longer pending (${run.state})`,
      `That request is already ${run.state.replace('_', ' ')}; nothing more happens.`,
    );
  if (at.getTime() >= run.requestedAt.getTime() + config.approval_expires) {
    await expireApproval(deps, runId);
    return refuse(
      'expired',
      `That request expired before it was ${decision === 'approve' ? 'approved' : 'denied'}; ask for it again.`,
    );
  }
  if (decision === 'approve' && self)
    return refuse('self-approval', 'You asked for this run, so someone else must approve it.');
  if (!self && !(await isAllowed(deps, config.allowed, actor.user)))
    return refuse('not allowed', actionReply(config.title, { kind: 'not-allowed-to-decide' }));
  const to = decision === 'approve' ? 'approved' : 'denied';
  const moved = await deps.db.transaction(async (tx) => {
    const moved = await moveRun(tx, runId, ['awaiting_approval'], to, { at, by: actor.user });
    if (moved)
      await appendTimelineEvent(tx, {
        incidentId: incident.id,
        occurredAt: at,
        actor: actor.user,
        ...timelineEvent(decision === 'approve' ? 'action.approved' : 'action.denied', {
          action: run.action,
          runId,
          requester: run.requestedBy,
        }),
      });
    return moved;
  });
  if (!moved) {
    const now = await getRun(deps.db, runId);
    return refuse(
      `no longer pending (${now?.state ?? 'gone'})`,
      `That request is already ${(now?.state ?? 'gone').replace('_', ' ')}; nothing more happens.`,
    );
  }
  await showDecision(deps, incident, moved, config, to, actor.user);
  if (decision === 'deny') return actionReply(config.title, { kind: 'denied' });
  return ranReply(await executeRun(deps, incident, moved, config, actor.user), config);
}

/** What the person who set a run going is told: nothing more when it was recorded, the truth when it was not. */
function ranReply(ran: Ran | undefined, config: ActionConfig): Reply {
  if (!ran || ran.recorded === 'written') return NO_REPLY;
  return actionReply(config.title, { kind: 'recording-delayed', outcome: ran.outcome });
}

/** `/incident rollback`: what the incident can run, each with its button. */
export async function listRollbacks(deps: AppDeps, target: Target, actor: Actor): Promise<Reply> {
  const incident = await incidentFor(deps, target, { intent: 'read', what: 'list the actions of', actor });
  const actions = actionsOf(deps, incident).map(({ name, config }) => ({
    name,
    title: config.title,
    plan: describePlan(config, placeholdersOf(incident, actor.user)),
    ...presentProps({ target: config.target }),
    ...(config.target_time ? { targetTimeMs: config.target_time } : {}),
    approval: config.approval === 'required',
    dryRun: isDryRun(deps, config),
  }));
  if (actions.length === 0) return text(`${incident.key}'s playbook offers no rollback or action.`);
  return { kind: 'rollbacks', incident, actions };
}
