import { type Placeholders, planAction, runAction } from '../actions/index.js';
import type { ActionConfig } from '../config/actions.js';
import type { Incident } from '../domain/incident.js';
import { codeSpan } from '../domain/text.js';
import { badRequest } from '../errors.js';
import { type ActionRun, getRun, insertRun, moveRun, setApprovalMessage } from '../store/actionRuns.js';
import { moveStep as recordStepMove } from '../store/steps.js';
import { scheduleWork } from '../store/work.js';
import { appendTimelineEvent } from '../store/timeline.js';
import { incidentFor } from './access.js';
import { findIncident } from './context.js';
import type { Actor, AppDeps } from './deps.js';
import type { Target } from './lifecycle.js';
import { peopleOf, isAllowed } from './permissions.js';
import { recordOnce } from './record.js';
import { NO_REPLY, type Reply, text } from './replies.js';

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
export async function requestAction(deps: AppDeps, target: Target, name: string, actor: Actor): Promise<Reply> {
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
    return text(
      `You are not allowed to run *${config.title}*. Ask someone on its list (\`allowed\` in the config), or the incident commander.`,
    );
  }
  const dryRun = isDryRun(deps, config);
  const plan = planAction(config, placeholdersOf(incident, actor.user), { allowMissing: true }).summary;
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
            {
              kind: 'action.expire',
              incidentId: incident.id,
              dueAt: expiresAt,
              payload: { runId: run.id },
              dedupeKey: `action.expire:${run.id}`,
            },
          ],
          at,
        );
    }
    return inserted;
  });
  if ('duplicate' in inserted) return NO_REPLY;
  if ('active' in inserted) {
    const run = inserted.active;
    return text(
      `*${config.title}* is already ${run.state === 'awaiting_approval' ? 'waiting for approval' : 'running'} for ${incident.key} (requested by <@${run.requestedBy}>). One run at a time.`,
    );
  }
  const run = inserted.inserted;
  deps.metrics.timelineEvents.inc({ kind: 'action.requested' });
  if (!needsApproval) {
    await executeRun(deps, incident, run, config, actor.user);
    return NO_REPLY;
  }
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
  return text(`*${config.title}* needs a second person's approval; the request is in ${incident.key}'s thread.`);
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
  const refuse = async (reason: string, answer: string) => {
    await recordOnce(deps, actor, {
      incidentId: incident.id,
      occurredAt: at,
      kind: 'action.refused',
      data: { action: run.action, runId, reason },
    });
    return text(answer);
  };
  const self = actor.user === run.requestedBy;
  if (decision === 'approve' && self)
    return refuse('self-approval', 'You asked for this run, so someone else must approve it.');
  if (!self && !(await isAllowed(deps, config.allowed, actor.user)))
    return refuse('not allowed', `You are not allowed to decide on *${config.title}*.`);
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
  if (!moved) return text(`That request is already ${run.state.replace('_', ' ')}.`);
  await showDecision(deps, incident, moved, config, to, actor.user);
  if (decision === 'deny') return text(`You denied *${config.title}*.`);
  await executeRun(deps, incident, moved, config, actor.user);
  return NO_REPLY;
}

async function showDecision(
  deps: AppDeps,
  incident: Incident,
  run: ActionRun,
  config: ActionConfig,
  state: 'approved' | 'denied' | 'expired',
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

/**
 * Runs an approved request: once (the guarded move to `running` happens in
 * one replica only, behind a Redis lock too), said in the thread as it goes,
 * measured against its time-to-rollback target, and the step updated.
 */
export async function executeRun(
  deps: AppDeps,
  incident: Incident,
  run: ActionRun,
  config: ActionConfig,
  startedBy: string,
): Promise<void> {
  const lock = await deps.coord.tryLock(`action:${incident.id}:${run.action}`, config.timeout + 60_000);
  if (!lock) return;
  try {
    const started = await moveRun(deps.db, run.id, ['approved'], 'running', { at: deps.clock.now() });
    if (!started) return;
    const placeholders = placeholdersOf(incident, run.requestedBy, run.decidedBy ?? undefined);
    const thread =
      incident.channelId && incident.messageTs ? { channel: incident.channelId, ts: incident.messageTs } : undefined;
    await deps.spool.record({
      incidentId: incident.id,
      occurredAt: deps.clock.now(),
      actor: startedBy,
      kind: 'action.started',
      data: { action: run.action, runId: run.id, summary: run.plan, dryRun: run.dryRun },
    });
    if (run.step)
      await recordStepMove(deps.db, {
        incidentId: incident.id,
        step: run.step,
        to: 'running',
        kind: 'step.started',
        actor: startedBy,
        at: deps.clock.now(),
        data: { title: incident.playbook.steps[run.step - 1]?.title },
      });
    if (thread)
      await deps.slack
        .postInThread(thread.channel, thread.ts, {
          kind: 'action-started',
          action: run.action,
          title: config.title,
          plan: run.plan,
          actor: startedBy,
          dryRun: run.dryRun,
        })
        .catch(() => undefined);
    await deps.live.refresh(incident.id);
    const beganAt = deps.clock.now();
    const result = await runAction(config, placeholders, { dryRun: run.dryRun });
    const at = deps.clock.now();
    // Time to rollback: from the press of the button to the end of the run (waiting for approval included).
    // The run itself is measured in real time, so a clock moved by hand still sees how long it ran.
    const durationMs = Math.max(0, beganAt.getTime() - run.requestedAt.getTime()) + Math.round(result.durationMs);
    const finished = await moveRun(deps.db, run.id, ['running'], result.outcome, {
      at,
      output: result.output,
      ...(result.error ? { error: result.error } : {}),
      ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
      ...(result.status ? { httpStatus: result.status } : {}),
    });
    const targetMissed = config.target_time !== undefined && !run.dryRun && durationMs > config.target_time;
    await deps.spool.record({
      incidentId: incident.id,
      occurredAt: at,
      actor: 'system',
      kind: 'action.finished',
      data: {
        action: run.action,
        runId: run.id,
        outcome: result.outcome,
        durationMs,
        ...(config.target_time ? { targetMs: config.target_time, targetMissed } : {}),
        ...(result.error ? { error: result.error } : {}),
      },
    });
    if (run.step && finished) {
      const ok = result.outcome === 'succeeded' || result.outcome === 'dry_run';
      await recordStepMove(deps.db, {
        incidentId: incident.id,
        step: run.step,
        to: ok ? 'done' : 'failed',
        kind: ok ? 'step.done' : 'step.failed',
        actor: 'system',
        at,
        ...(ok ? {} : { detail: result.error ?? result.outcome }),
        data: {
          title: incident.playbook.steps[run.step - 1]?.title,
          ...(ok ? {} : { reason: result.error ?? result.outcome }),
        },
      });
    }
    if (thread)
      await deps.slack
        .postInThread(thread.channel, thread.ts, {
          kind: 'action-finished',
          action: run.action,
          title: config.title,
          outcome: result.outcome,
          output: result.output,
          ...(result.error ? { error: result.error } : {}),
          durationMs,
          ...(config.target_time ? { targetMs: config.target_time } : {}),
          dryRun: run.dryRun,
        })
        .catch(() => undefined);
    await deps.live.refresh(incident.id);
  } finally {
    await lock.release();
  }
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
