import { type Placeholders, planAction, resolvePlan } from '../actions/index.js';
import type { ActionConfig } from '../config/actions.js';
import { inputPlaceholders, parseInputs } from '../domain/actionInputs.js';
import type { Incident } from '../domain/incident.js';
import { codeSpan } from '../domain/text.js';
import { badRequest } from '../errors.js';
import {
  type ActionRun,
  cancelPendingRuns,
  getRun,
  insertRun,
  moveRun,
  setApprovalMessage,
} from '../store/actionRuns.js';
import type { Queryable } from '../store/db.js';
import { scheduleWork } from '../store/work.js';
import { newWork } from './work/payloads.js';
import { appendTimelineEvent } from '../store/timeline.js';
import { incidentFor } from './access.js';
import { findIncident } from './context.js';
import { type Ran, executeRun } from './executeRun.js';
import type { Actor, AppDeps } from './deps.js';
import type { Target } from './lifecycle.js';
import { peopleOf, isAllowed } from './permissions.js';
import { recordOnce } from './record.js';
import { NO_REPLY, type Reply, actionReply, text } from './replies.js';

/** The sentence for refused inputs: what was not run, and each refused value's rule. */
export function inputsRefused(title: string, errors: Record<string, string>): string {
  return `${title} was not run: ${Object.values(errors).join(' ')} Press its button to fill the form again.`;
}

/** The actions an incident may run: its playbook's rollbacks and its steps' actions. */
export function actionsOf(
  deps: Pick<AppDeps, 'config'>,
  incident: Incident,
): Array<{ name: string; config: ActionConfig; step?: number }> {
  const names = new Map<string, number | undefined>(incident.playbook.rollback.map((n) => [n, undefined]));
  incident.playbook.steps.forEach((s, i) => s.action && names.set(s.action, i + 1));
  return [...names].flatMap(([name, step]) =>
    deps.config.actions[name] ? [{ name, config: deps.config.actions[name], ...(step ? { step } : {}) }] : [],
  );
}

export const placeholdersOf = (incident: Incident, requester: string, approver?: string): Placeholders => ({
  'incident.key': incident.key,
  'incident.id': String(incident.id),
  'incident.severity': incident.severity,
  'incident.playbook': incident.playbookId,
  'incident.channel': incident.channelId ?? '',
  'incident.summary': incident.summary,
  requester,
  ...(approver ? { approver } : {}),
});

/**
 * What a run would do, for confirm dialogs and lists. A value that cannot be
 * placed (a summary that reads as an option) shows the placeholder instead:
 * showing an incident never fails because of what someone typed.
 */
export function describePlan(config: ActionConfig, placeholders: Placeholders): string {
  try {
    return planAction(config, placeholders, { allowMissing: true }).summary;
  } catch {
    return planAction(config, {}, { allowMissing: true }).summary;
  }
}

export const isDryRun = (deps: Pick<AppDeps, 'config'>, config: ActionConfig) => deps.config.dry_run || config.dry_run;

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
  if (!offered)
    throw badRequest(`${incident.key} has no action ${codeSpan(name)}. \`/incident rollback\` lists the ones it has.`);
  if (incident.status === 'resolved') return text(`${incident.key} is resolved; its actions are closed.`);
  const { config } = offered;
  const at = deps.clock.now();
  if (!(await isAllowed(deps, config.allowed, actor.user))) {
    await recordOnce(deps, actor, {
      incidentId: incident.id,
      occurredAt: at,
      kind: 'action.refused',
      data: { action: name, reason: 'not allowed' },
    });
    return actionReply(config.title, { kind: 'not-allowed' });
  }
  if (config.only_if && config.only_if.value !== config.only_if.equals) {
    await recordOnce(deps, actor, {
      incidentId: incident.id,
      occurredAt: at,
      kind: 'action.refused',
      data: { action: name, reason: `guard: ${config.only_if.because}` },
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
  const inserted = await deps.db.transaction(async (tx) => {
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
        kind: 'action.requested',
        data: { action: name, runId: run.id, plan, dryRun, approval: needsApproval },
      });
      if (needsApproval)
        await scheduleWork(
          tx,
          [
            newWork(
              'action.expire',
              { runId: run.id },
              { incidentId: incident.id, dueAt: expiresAt, dedupeKey: `action.expire:${run.id}` },
            ),
          ],
          at,
        );
    }
    return inserted;
  });
  if ('duplicate' in inserted) return NO_REPLY;
  if ('active' in inserted) {
    const run = inserted.active;
    const waiting = run.state === 'awaiting_approval';
    return actionReply(config.title, { kind: 'busy', key: incident.key, waiting, requestedBy: run.requestedBy });
  }
  const run = inserted.inserted;
  deps.metrics.timelineEvents.inc({ kind: 'action.requested' });
  if (!needsApproval) return ranReply(await executeRun(deps, incident, run, config, actor.user), config);
  if (incident.channelId && incident.messageTs) {
    const approvers = (await peopleOf(deps, config.allowed)).filter((u) => u !== actor.user);
    const { ts } = await deps.slack.postInThread(incident.channelId, incident.messageTs, {
      kind: 'action-approval',
      runId: run.id,
      incidentId: incident.id,
      action: name,
      title: config.title,
      plan,
      requester: actor.user,
      dryRun,
      expiresAt,
      approvers,
    });
    await setApprovalMessage(deps.db, run.id, ts);
  }
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
  if (!config) throw badRequest(`The action ${codeSpan(run.action)} is no longer configured.`);
  const at = deps.clock.now();
  const refuse = async (reason: string, answer: string | Reply) => {
    await recordOnce(deps, actor, {
      incidentId: incident.id,
      occurredAt: at,
      kind: 'action.refused',
      data: { action: run.action, runId, reason },
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
        kind: decision === 'approve' ? 'action.approved' : 'action.denied',
        data: { action: run.action, runId, requester: run.requestedBy },
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

/**
 * An incident was resolved: its requests still waiting (for approval, or approved and not started) are
 * cancelled, each with an `action.cancelled` event, in the caller's transaction.
 */
export async function cancelPendingRequests(
  tx: Queryable,
  incidentId: number,
  at: Date,
  actor: string,
): Promise<ActionRun[]> {
  const cancelled = await cancelPendingRuns(tx, incidentId, at);
  for (const run of cancelled)
    await appendTimelineEvent(tx, {
      incidentId,
      occurredAt: at,
      actor,
      kind: 'action.cancelled',
      data: { action: run.action, runId: run.id, requester: run.requestedBy, reason: 'incident resolved' },
    });
  return cancelled;
}

/** The approval messages of cancelled requests say so, and lose their buttons. */
export async function showCancelled(deps: AppDeps, incident: Incident, runs: readonly ActionRun[]): Promise<void> {
  for (const run of runs) {
    const config = deps.config.actions[run.action];
    if (config) await showDecision(deps, incident, run, config, 'cancelled');
  }
}

async function showDecision(
  deps: AppDeps,
  incident: Incident,
  run: ActionRun,
  config: ActionConfig,
  state: 'approved' | 'denied' | 'expired' | 'cancelled',
  by?: string,
): Promise<void> {
  if (!incident.channelId || !run.approvalTs) return;
  await deps.slack
    .updateInThread(incident.channelId, run.approvalTs, {
      kind: 'action-approval',
      runId: run.id,
      incidentId: incident.id,
      action: run.action,
      title: config.title,
      plan: run.plan,
      requester: run.requestedBy,
      dryRun: run.dryRun,
      expiresAt: run.requestedAt,
      approvers: [],
      decision: { state, ...(by ? { by } : {}) },
    })
    .catch((error: unknown) => deps.log.warn({ err: error, run: run.id }, 'could not update the approval request'));
}

/** The approval window closed without a decision. */
export async function expireApproval(deps: AppDeps, runId: number): Promise<string> {
  const at = deps.clock.now();
  const moved = await deps.db.transaction(async (tx) => {
    const moved = await moveRun(tx, runId, ['awaiting_approval'], 'expired', { at });
    if (moved)
      await appendTimelineEvent(tx, {
        incidentId: moved.incidentId,
        occurredAt: at,
        actor: 'system',
        kind: 'action.expired',
        data: { action: moved.action, runId, requester: moved.requestedBy },
      });
    return moved;
  });
  if (!moved) return 'already decided';
  const incident = await findIncident(deps.db, { incidentId: moved.incidentId });
  const config = deps.config.actions[moved.action];
  if (config) await showDecision(deps, incident, moved, config, 'expired');
  return 'expired';
}

/** `/incident rollback`: what the incident can run, each with its button. */
export async function listRollbacks(deps: AppDeps, target: Target, actor: Actor): Promise<Reply> {
  const incident = await incidentFor(deps, target, { intent: 'read', what: 'list the actions of', actor });
  const actions = actionsOf(deps, incident).map(({ name, config }) => ({
    name,
    title: config.title,
    plan: describePlan(config, placeholdersOf(incident, actor.user)),
    ...(config.target ? { target: config.target } : {}),
    ...(config.target_time ? { targetTimeMs: config.target_time } : {}),
    approval: config.approval === 'required',
    dryRun: isDryRun(deps, config),
  }));
  if (actions.length === 0) return text(`${incident.key}'s playbook offers no rollback or action.`);
  return { kind: 'rollbacks', incident, actions };
}
