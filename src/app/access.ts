import { z } from 'zod';
import { channelLink, mention, usergroupMention } from '../blockKit/blocks.js';
import { type Intent, decideAccess, needsChannelMembers, whoMay } from '../domain/access.js';
import type { Incident } from '../domain/incident.js';
import { BotError, type Refusal } from '../errors.js';
import { readPagedUsers } from '../store/timeline.js';
import { findIncident } from './context.js';
import type { Actor, AppDeps } from './deps.js';
import { timelineEvent } from '../domain/timeline.js';
import type { Target } from './lifecycle.js';
import { peopleOf } from './permissions.js';
import { recordOnce } from './record.js';
import { type OpenRequest, type Opened, openIncident } from './openIncident.js';

const MEMBERS_CACHE_MS = 30_000;

/** What a person asks to do with an incident: change it (and which change, for the sentence) or read it. */
export interface Use {
  intent: Intent;
  /** A verb phrase: "acknowledge", "add a note to". */
  what: string;
  actor: Actor;
}

export class AccessRefused extends BotError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/**
 * The incident a person's request is about, once they may do it: every use
 * case a person reaches resolves its incident here, so the check cannot be
 * skipped. The incident comes from the database (a button only names it);
 * a refusal writes `access.refused` to its timeline and nothing else.
 */
export async function incidentFor(deps: AppDeps, target: Target, use: Use): Promise<Incident> {
  const incident = await findIncident(deps.db, target);
  await checkAccess(deps, incident, use);
  return incident;
}

/** The check alone, for a use case that found its incident another way (health, token refresh in an incident). */
export async function checkAccess(deps: AppDeps, incident: Incident, use: Use): Promise<void> {
  const rule = deps.config.access;
  const { user } = use.actor;
  let decision = decideAccess(rule, use.intent, await factsOf(deps, incident, use));
  // Before refusing, ask Slack again: someone who just joined the channel is not kept out by the cache.
  if (!decision.allowed && needsChannelMembers(rule, use.intent, user) && incident.channelId)
    decision = decideAccess(rule, use.intent, await factsOf(deps, incident, use, { fresh: true }));
  if (decision.allowed) return;
  deps.log.info({ incident: incident.key, user, what: use.what }, 'access refused');
  await recordOnce(deps, use.actor, {
    incidentId: incident.id,
    occurredAt: deps.clock.now(),
    ...timelineEvent('access.refused', { action: use.what, intent: use.intent }),
  });
  throw new AccessRefused(
    // The refusal is a sentence in Slack: people and places as Slack links, from the one Block Kit helper set.
    whoMay(rule, incident, use.what, { channel: channelLink, usergroup: usergroupMention, user: mention }),
  );
}

async function factsOf(deps: AppDeps, incident: Incident, use: Use, options: { fresh?: boolean } = {}) {
  const rule = deps.config.access;
  const { user } = use.actor;
  const none: string[] = [];
  if (decideAccess(rule, use.intent, { user, channelMembers: none, responders: none, groupMembers: none }).allowed)
    return { user, channelMembers: none, responders: none, groupMembers: none };
  const [responders, groupMembers, channelMembers] = await Promise.all([
    rule.change.responders ? respondersOf(deps, incident) : none,
    peopleOf(deps, { users: [], usergroups: rule.change.usergroups }),
    needsChannelMembers(rule, use.intent, user) && incident.channelId
      ? membersOf(deps, incident.channelId, options.fresh)
      : none,
  ]);
  return { user, channelMembers, responders, groupMembers };
}

/** The opener, the commander, everyone the escalation policy pages (user groups expanded) and everyone it paged. */
async function respondersOf(deps: AppDeps, incident: Incident): Promise<string[]> {
  const levels = incident.escalationPolicy?.levels ?? [];
  const [policy, paged] = await Promise.all([
    Promise.all(levels.map((level) => peopleOf(deps, level.responders))),
    readPagedUsers(deps.db, incident.id),
  ]);
  return [incident.openedBy, incident.commander, ...policy.flat(), ...paged];
}

/**
 * The channel's members from Slack, cached briefly across replicas (so a removal takes effect within
 * MEMBERS_CACHE_MS); `fresh` asks Slack whatever the cache holds. None when Slack cannot say.
 */
/** The cached member list, read back from Redis. */
const userIds = z.array(z.string());

async function membersOf(deps: AppDeps, channelId: string, fresh = false): Promise<string[]> {
  const key = `members:${channelId}`;
  const cached = fresh ? undefined : await deps.coord.get(key);
  const hit = cached ? userIds.safeParse(JSON.parse(cached)) : undefined;
  if (hit?.success) return hit.data;
  try {
    const members = await deps.slack.channelMembers(channelId);
    await deps.coord.set(key, JSON.stringify(members), MEMBERS_CACHE_MS);
    return members;
  } catch (error) {
    deps.log.warn({ err: error, channelId }, 'could not read the channel members; deciding without them');
    return [];
  }
}

/** A person's `/incident <playbook>`: opened, unless they opened too many just now. */
export async function openAsPerson(
  deps: AppDeps,
  request: OpenRequest,
  actor: Actor,
): Promise<Opened | { kind: 'refused'; refusal: Refusal }> {
  const refusal = await openRefusal(deps, actor.user);
  return refusal ? { kind: 'refused', refusal } : openIncident(deps, request, actor);
}

/**
 * Opening is open to everyone, a few times per window per person (counted
 * across replicas). Answers the sentence to say, or undefined when it may.
 */
export async function openRefusal(deps: AppDeps, user: string): Promise<Refusal | undefined> {
  const { max_opens_per_person: max, open_window: window } = deps.config.access;
  const now = deps.clock.now().getTime();
  const slot = Math.floor(now / window);
  const count = await deps.coord.increment(`opens:${user}:${slot}`, 1, window - (now % window) + 1_000);
  if (count <= max) return undefined;
  deps.log.info({ user, count, max }, 'open refused: too many opens');
  return { kind: 'too-many-opens', max, windowMs: window };
}
