import type { ActionConfig } from '../config/actions.js';
import type { Incident } from '../domain/incident.js';
import { SYSTEM_ACTOR, timelineEvent } from '../domain/timeline.js';
import { type ActionRun, cancelPendingRuns, moveRun } from '../store/actionRuns.js';
import type { Queryable } from '../store/db.js';
import { appendTimelineEvent } from '../store/timeline.js';
import { findIncident } from './context.js';
import { definedProps, presentProps } from '../domain/defined.js';
import type { AppDeps } from './deps.js';

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
      ...timelineEvent('action.cancelled', {
        action: run.action,
        runId: run.id,
        requester: run.requestedBy,
        reason: 'incident resolved',
      }),
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

/** The approval request of a run, as posted (with who may approve) or once decided (its buttons gone). */
export function approvalPost(
  incident: Incident,
  run: ActionRun,
  config: ActionConfig,
  approvers: string[],
  decision?: { state: 'approved' | 'denied' | 'expired' | 'cancelled'; by?: string },
) {
  return {
    kind: 'action-approval' as const,
    runId: run.id,
    incidentId: incident.id,
    action: run.action,
    title: config.title,
    plan: run.plan,
    requester: run.requestedBy,
    dryRun: run.dryRun,
    expiresAt: new Date(run.requestedAt.getTime() + config.approval_expires),
    approvers,
    ...definedProps({ decision }),
  };
}

/** The approval request's message shows the decision, and loses its buttons. */
export async function showDecision(
  deps: AppDeps,
  incident: Incident,
  run: ActionRun,
  config: ActionConfig,
  state: 'approved' | 'denied' | 'expired' | 'cancelled',
  by?: string,
): Promise<void> {
  if (!incident.channelId || !run.approvalTs) return;
  await deps.slack
    .updateInThread(
      incident.channelId,
      run.approvalTs,
      approvalPost(incident, run, config, [], { state, ...presentProps({ by }) }),
    )
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
        actor: SYSTEM_ACTOR,
        ...timelineEvent('action.expired', { action: moved.action, runId, requester: moved.requestedBy }),
      });
    return moved;
  });
  if (!moved) return 'already decided';
  const incident = await findIncident(deps.db, { incidentId: moved.incidentId });
  const config = deps.config.actions[moved.action];
  if (config) await showDecision(deps, incident, moved, config, 'expired');
  return 'expired';
}
