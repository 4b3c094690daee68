import type { AccessConfig } from '../config/access.js';
import { SYSTEM_ACTOR } from './timeline.js';

/**
 * Who may change an incident, as a rule over facts the caller gathered from
 * Slack and the database. Nothing here trusts what a button carried: the
 * incident comes from the database, the person from the verified request.
 *
 *   change  ack, escalate, severity, commander, steps, notes, mitigate,
 *           resolve, rollback requests, health and token refresh in it
 *   read    timeline, report (anyone, unless `access.read: change`)
 */
export type Intent = 'change' | 'read';

export interface AccessFacts {
  user: string;
  /** Members of the incident's channel (empty when it has none, or Slack could not say). */
  channelMembers: readonly string[];
  /** Its opener, its commander, and everyone its escalation policy pages or paged. */
  responders: readonly string[];
  /** Members of the configured responder user groups. */
  groupMembers: readonly string[];
}

export type AccessDecision =
  { allowed: true; as: 'system' | 'anyone' | 'channel member' | 'responder' | 'configured' } | { allowed: false };

export function decideAccess(rule: AccessConfig, intent: Intent, facts: AccessFacts): AccessDecision {
  if (facts.user === SYSTEM_ACTOR) return { allowed: true, as: 'system' };
  if (intent === 'read' && rule.read === 'anyone') return { allowed: true, as: 'anyone' };
  const may = rule.change;
  if (may.anyone) return { allowed: true, as: 'anyone' };
  if (may.users.includes(facts.user) || facts.groupMembers.includes(facts.user))
    return { allowed: true, as: 'configured' };
  if (may.responders && facts.responders.includes(facts.user)) return { allowed: true, as: 'responder' };
  if (may.channel_members && facts.channelMembers.includes(facts.user)) return { allowed: true, as: 'channel member' };
  return { allowed: false };
}

/** Whether deciding needs the channel's members (a Slack call), or the cheaper facts settle it. */
export function needsChannelMembers(rule: AccessConfig, intent: Intent, user: string): boolean {
  return user !== SYSTEM_ACTOR && rule.change.channel_members && !(intent === 'read' && rule.read === 'anyone');
}

export interface WhoMayFormat {
  channel: (id: string) => string;
  usergroup: (id: string) => string;
  user: (id: string) => string;
}

/** The sentence a refused person reads: who may, and how to become one of them. */
export function whoMay(
  rule: AccessConfig,
  incident: { key: string; channelId: string | null },
  what: string,
  format: WhoMayFormat,
): string {
  const who = [
    rule.change.channel_members && incident.channelId ? `the members of ${format.channel(incident.channelId)}` : '',
    rule.change.responders ? `${incident.key}'s responders (its commander and the people its escalation pages)` : '',
    ...rule.change.usergroups.map(format.usergroup),
    ...rule.change.users.map(format.user),
  ].filter(Boolean);
  if (who.length === 0)
    return `You may not ${what} ${incident.key}: the bot's \`access\` settings let nobody change it.`;
  const list = who.length === 1 ? who[0]! : `${who.slice(0, -1).join(', ')} and ${who[who.length - 1]!}`;
  const join =
    rule.change.channel_members && incident.channelId
      ? ` Ask one of them to add you to ${format.channel(incident.channelId)}.`
      : ' Ask one of them to do it.';
  return `You may not ${what} ${incident.key}: only ${list} may change it.${join}`;
}
