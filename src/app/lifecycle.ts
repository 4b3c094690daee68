import { refusalOf } from '../domain/incident.js';
import { changeStatus } from '../store/incidents.js';
import { settle } from './changes.js';
import { meetDeadlinesIn } from './work/deadlines.js';
import { stopAcknowledgementClock, stopEscalation } from './work/escalation.js';
import { enqueueStatusUpdate } from './work/notifications.js';
import { tellPagers } from './work/pageMirror.js';
import { incidentFor } from './access.js';
import { cancelPendingRequests, showCancelled } from './actionApprovals.js';
import { presentProps } from '../domain/defined.js';
import type { ActionRun } from '../store/actionRuns.js';
import type { Actor, AppDeps } from './deps.js';
import type { Reply } from './replies.js';

export interface Target {
  key?: string;
  channelId?: string;
  incidentId?: number;
}

/** Acknowledge: someone has it. Stops the acknowledgement clock of the escalation level. */
export async function acknowledge(deps: AppDeps, target: Target, actor: Actor): Promise<Reply> {
  const incident = await incidentFor(deps, target, { intent: 'change', what: 'acknowledge', actor });
  const at = deps.clock.now();
  const change = await deps.db.transaction(async (tx) => {
    const change = await changeStatus(tx, {
      incidentId: incident.id,
      to: 'acknowledged',
      actor: actor.user,
      at,
      ...requestOf(actor),
    });
    if (change.changed) {
      await stopAcknowledgementClock(tx, change.incident, at);
      await tellPagers(tx, deps, change.incident, 'acknowledge', at);
      await meetDeadlinesIn(tx, incident.id, { event: 'acknowledged' }, at);
    }
    return change;
  });
  return settle(deps, change, {
    post: { kind: 'changed', actor: actor.user, key: incident.key, change: { kind: 'acknowledged' } },
    reply: `You acknowledged ${incident.key}.`,
    refusal: (current) => refusalOf(current, 'acknowledged'),
  });
}

/** Mitigated: the bleeding has stopped; the incident stays open until resolved. */
export async function mitigate(deps: AppDeps, target: Target, summary: string, actor: Actor): Promise<Reply> {
  const incident = await incidentFor(deps, target, { intent: 'change', what: 'mitigate', actor });
  const at = deps.clock.now();
  const change = await deps.db.transaction(async (tx) => {
    const change = await changeStatus(tx, {
      incidentId: incident.id,
      to: 'mitigated',
      actor: actor.user,
      at,
      data: summary ? { summary } : {},
      ...requestOf(actor),
    });
    if (change.changed) {
      await meetDeadlinesIn(tx, incident.id, { event: 'mitigated' }, at);
      await enqueueStatusUpdate(tx, deps, change.incident, { kind: 'mitigated', ...presentProps({ summary }) }, at);
    }
    return change;
  });
  deps.wake();
  return settle(deps, change, {
    post: {
      kind: 'changed',
      actor: actor.user,
      key: incident.key,
      change: { kind: 'mitigated', ...presentProps({ summary }) },
    },
    reply: `${incident.key} is mitigated.`,
    refusal: (current) => refusalOf(current, 'mitigated'),
  });
}

/** Resolved: over. Every clock of the incident stops. */
export async function resolve(deps: AppDeps, target: Target, summary: string, actor: Actor): Promise<Reply> {
  const incident = await incidentFor(deps, target, { intent: 'change', what: 'resolve', actor });
  const at = deps.clock.now();
  let cancelled: ActionRun[] = [];
  const change = await deps.db.transaction(async (tx) => {
    const change = await changeStatus(tx, {
      incidentId: incident.id,
      to: 'resolved',
      actor: actor.user,
      at,
      data: summary ? { summary } : {},
      ...requestOf(actor),
    });
    if (change.changed) {
      await stopEscalation(tx, change.incident, at);
      await tellPagers(tx, deps, change.incident, 'resolve', at);
      await meetDeadlinesIn(tx, incident.id, { event: 'resolved' }, at);
      // Nothing waiting for approval may run on a resolved incident.
      cancelled = await cancelPendingRequests(tx, incident.id, at, actor.user);
      const durationMs = at.getTime() - change.incident.openedAt.getTime();
      await enqueueStatusUpdate(
        tx,
        deps,
        change.incident,
        { kind: 'resolved', durationMs, ...presentProps({ summary }) },
        at,
      );
    }
    return change;
  });
  deps.wake();
  await showCancelled(deps, incident, cancelled);
  return settle(deps, change, {
    post: {
      kind: 'resolved',
      actor: actor.user,
      key: incident.key,
      incidentId: incident.id,
      ...presentProps({ summary }),
    },
    reply: `${incident.key} is resolved.`,
    refusal: (current) => refusalOf(current, 'resolved'),
  });
}

export const requestOf = (actor: Actor) => (actor.requestKey ? { requestKey: actor.requestKey } : {});
