import { refusalOf } from '../domain/incident.js';
import { escapeMrkdwn } from '../domain/text.js';
import { changeStatus } from '../store/incidents.js';
import { settle } from './changes.js';
import { incidentFor } from './context.js';
import type { Actor, AppDeps } from './deps.js';
import type { Reply } from './replies.js';

export interface Target {
  key?: string;
  channelId?: string;
  incidentId?: number;
}

/** Acknowledge: someone has it. Stops the acknowledgement clock of the escalation level. */
export async function acknowledge(deps: AppDeps, target: Target, actor: Actor): Promise<Reply> {
  const incident = await incidentFor(deps.db, target);
  const change = await changeStatus(deps.db, { incidentId: incident.id, to: 'acknowledged', actor: actor.user, at: deps.clock.now(), ...requestOf(actor) });
  return settle(deps, change, {
    post: { kind: 'status', actor: actor.user, text: `acknowledged ${incident.key}` },
    reply: `You acknowledged ${incident.key}.`,
    refusal: (current) => refusalOf(current, 'acknowledged'),
  });
}

/** Mitigated: the bleeding has stopped; the incident stays open until resolved. */
export async function mitigate(deps: AppDeps, target: Target, summary: string, actor: Actor): Promise<Reply> {
  const incident = await incidentFor(deps.db, target);
  const change = await changeStatus(deps.db, { incidentId: incident.id, to: 'mitigated', actor: actor.user, at: deps.clock.now(), data: summary ? { summary } : {}, ...requestOf(actor) });
  return settle(deps, change, {
    post: { kind: 'status', actor: actor.user, text: `marked ${incident.key} mitigated${summary ? `: ${escapeMrkdwn(summary)}` : ''}` },
    reply: `${incident.key} is mitigated.`,
    refusal: (current) => refusalOf(current, 'mitigated'),
  });
}

/** Resolved: over. Every clock of the incident stops. */
export async function resolve(deps: AppDeps, target: Target, summary: string, actor: Actor): Promise<Reply> {
  const incident = await incidentFor(deps.db, target);
  const change = await changeStatus(deps.db, { incidentId: incident.id, to: 'resolved', actor: actor.user, at: deps.clock.now(), data: summary ? { summary } : {}, ...requestOf(actor) });
  return settle(deps, change, {
    post: { kind: 'status', actor: actor.user, text: `resolved ${incident.key}${summary ? `: ${escapeMrkdwn(summary)}` : ''}` },
    reply: `${incident.key} is resolved.`,
    refusal: (current) => refusalOf(current, 'resolved'),
  });
}

export const requestOf = (actor: Actor) => (actor.requestKey ? { requestKey: actor.requestKey } : {});
