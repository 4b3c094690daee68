import { type Severity, severityLabel } from '../domain/severity.js';
import { badRequest, refused } from '../errors.js';
import { changeCommander, changeEscalationLevel, changeSeverity } from '../store/incidents.js';
import { settle } from './changes.js';
import { restartAtLevel } from './work/escalation.js';
import { enqueueStatusUpdate } from './work/notifications.js';
import { incidentFor } from './access.js';
import type { Actor, AppDeps } from './deps.js';
import { type Target, requestOf } from './lifecycle.js';
import { recordOnce } from './record.js';
import { NO_REPLY, type Reply, text } from './replies.js';
import { timelineEvent } from '../domain/timeline.js';
import { presentProps } from '../domain/defined.js';

export async function setSeverity(deps: AppDeps, target: Target, severity: Severity, actor: Actor): Promise<Reply> {
  const incident = await incidentFor(deps, target, { intent: 'change', what: 'change the severity of', actor });
  const at = deps.clock.now();
  const change = await deps.db.transaction(async (tx) => {
    const change = await changeSeverity(tx, {
      incidentId: incident.id,
      severity,
      actor: actor.user,
      at,
      ...requestOf(actor),
    });
    if (change.changed)
      await enqueueStatusUpdate(
        tx,
        deps,
        change.incident,
        { kind: 'severity', from: severityLabel(incident.severity), to: severityLabel(severity) },
        at,
      );
    return change;
  });
  deps.wake();
  return settle(deps, change, {
    post: {
      kind: 'changed',
      actor: actor.user,
      key: incident.key,
      change: { kind: 'severity', to: severityLabel(severity) },
    },
    reply: `${incident.key} is now ${severityLabel(severity)}.`,
    refusal: (current) =>
      current.status === 'resolved'
        ? `${current.key} is resolved.`
        : `${current.key} is already ${severityLabel(severity)}.`,
  });
}

/** Escalate by hand: to a named level, or the next one. */
export async function escalateManually(
  deps: AppDeps,
  target: Target,
  level: number | undefined,
  actor: Actor,
): Promise<Reply> {
  const incident = await incidentFor(deps, target, { intent: 'change', what: 'escalate', actor });
  const policy = incident.escalationPolicy ?? undefined;
  const levels = policy?.levels.length ?? 3;
  const to = level ?? incident.escalationLevel + 1;
  if (to < 1 || to > levels) {
    throw badRequest(
      level === undefined
        ? `${incident.key} is already at its last escalation level (${levels}).`
        : `${incident.key}'s escalation policy has levels 1 to ${levels}.`,
    );
  }
  const at = deps.clock.now();
  const name = policy?.levels[to - 1]?.name;
  const change = await deps.db.transaction(async (tx) => {
    const change = await changeEscalationLevel(tx, {
      incidentId: incident.id,
      level: to,
      actor: actor.user,
      at,
      data: { manual: true },
      ...requestOf(actor),
    });
    if (change.changed) {
      await restartAtLevel(tx, change.incident, `event-${change.event.id}`, at);
      await enqueueStatusUpdate(
        tx,
        deps,
        change.incident,
        { kind: 'escalated', level: to, ...presentProps({ levelName: name }) },
        at,
      );
    }
    return change;
  });
  deps.wake();
  return settle(deps, change, {
    post: {
      kind: 'changed',
      actor: actor.user,
      key: incident.key,
      change: { kind: 'escalated', level: to, ...presentProps({ levelName: name }) },
    },
    reply: `${incident.key} is escalated to level ${to}${name ? `: ${name}` : ''}.`,
    refusal: (current) =>
      current.status === 'resolved' ? `${current.key} is resolved.` : `${current.key} is already at level ${to}.`,
  });
}

export async function setCommander(deps: AppDeps, target: Target, user: string, actor: Actor): Promise<Reply> {
  const incident = await incidentFor(deps, target, { intent: 'change', what: 'hand over command of', actor });
  const commander = user.startsWith('@') ? await deps.slack.findUser(user.slice(1)) : user;
  if (!commander) throw refused({ kind: 'no-user', user });
  const change = await changeCommander(deps.db, {
    incidentId: incident.id,
    commander,
    actor: actor.user,
    at: deps.clock.now(),
    ...requestOf(actor),
  });
  return settle(deps, change, {
    post: { kind: 'changed', actor: actor.user, key: incident.key, change: { kind: 'commander', commander } },
    reply: { kind: 'commander', commander, key: incident.key, already: false },
    refusal: (current) =>
      current.status === 'resolved'
        ? `${current.key} is resolved.`
        : { kind: 'commander', commander, key: current.key, already: true },
  });
}

/** A note goes into the timeline and the incident's thread. */
export async function addNote(deps: AppDeps, target: Target, note: string, actor: Actor): Promise<Reply> {
  const incident = await incidentFor(deps, target, { intent: 'change', what: 'add a note to', actor });
  const written = await recordOnce(deps, actor, {
    incidentId: incident.id,
    occurredAt: deps.clock.now(),
    ...timelineEvent('note.added', { text: note }),
  });
  if (!written) return NO_REPLY;
  // Notes live in the thread, not the live message: nothing to re-render.
  if (incident.channelId && incident.messageTs) {
    await deps.slack
      .postInThread(incident.channelId, incident.messageTs, { kind: 'note', actor: actor.user, text: note })
      .catch((error: unknown) => deps.log.warn({ err: error, incident: incident.key }, 'thread post failed'));
  }
  return text(`Noted in ${incident.key}'s timeline.`);
}
