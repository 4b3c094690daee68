import type { EscalationConfig, EscalationLevel, EscalationPolicy } from '../config/escalation.js';
import type { Playbook } from '../playbooks/schema.js';
import type { Incident, IncidentStatus } from './incident.js';
import type { Severity } from './severity.js';

/**
 * Escalation as pure rules. A level's clock is either an acknowledgement
 * clock (stops when someone acknowledges) or an unresolved clock (stops only
 * when the incident is resolved). When it runs out, the next level is paged;
 * after the last level the policy starts over `repeat` times, then stops.
 */
export type ClockKind = 'ack' | 'unresolved';

export interface LevelClock {
  kind: ClockKind;
  ms: number;
}

export function clockOf(level: EscalationLevel): LevelClock {
  if (level.acknowledged_within !== undefined) return { kind: 'ack', ms: level.acknowledged_within };
  if (level.unresolved_after !== undefined) return { kind: 'unresolved', ms: level.unresolved_after };
  throw new Error(`level "${level.name}" has no clock; the config schema requires exactly one`);
}

/** Whether a level's clock runs for an incident in this status. */
export function clockRuns(clock: ClockKind, status: IncidentStatus): boolean {
  return clock === 'ack' ? status === 'open' : status !== 'resolved';
}

export type Next = { kind: 'escalate'; level: number; cycle: number } | { kind: 'stop'; reason: 'exhausted' };

/** What happens when `level` (1-based) of `cycle` runs out. */
export function nextAfter(policy: EscalationPolicy, level: number, cycle: number): Next {
  if (level < policy.levels.length) return { kind: 'escalate', level: level + 1, cycle };
  if (cycle < policy.repeat) return { kind: 'escalate', level: 1, cycle: cycle + 1 };
  return { kind: 'stop', reason: 'exhausted' };
}

/** The playbook's escalation policy (if it names one) and the level its incidents start at. */
export function escalationOf(playbook: Pick<Playbook, 'escalation'>): { policy?: string; startLevel: number } {
  const e = playbook.escalation;
  if (e === undefined) return { startLevel: 1 };
  return typeof e === 'string' ? { policy: e, startLevel: 1 } : { policy: e.policy, startLevel: e.start_level };
}

/** The policy in force: the severity's, if the config names one, else the playbook's. */
export function policyFor(
  playbook: Playbook,
  severity: Severity,
  config: EscalationConfig,
): { name: string; policy: EscalationPolicy } | undefined {
  const name = config.by_severity[severity] ?? escalationOf(playbook).policy;
  const policy = name ? config.policies[name] : undefined;
  return name && policy ? { name, policy } : undefined;
}

/**
 * The level an incident's escalation starts at: the playbook's `start_level` when its own policy is the one in
 * force (a severity's policy starts at 1), never past the policy's last level.
 */
export function startLevel(
  playbook: Pick<Playbook, 'escalation'>,
  policyName: string,
  policy: EscalationPolicy,
): number {
  const own = escalationOf(playbook);
  if (own.policy !== policyName) return 1;
  return Math.min(Math.max(1, own.startLevel), policy.levels.length);
}

/** The level an incident's escalation started at, from its snapshotted playbook and policy. */
export function initialLevel(
  incident: Pick<Incident, 'playbook' | 'escalationPolicy' | 'escalationPolicyName'>,
): number {
  const { playbook, escalationPolicy, escalationPolicyName } = incident;
  return escalationPolicy && escalationPolicyName ? startLevel(playbook, escalationPolicyName, escalationPolicy) : 1;
}

export function levelOf(policy: EscalationPolicy, level: number): EscalationLevel | undefined {
  return policy.levels[level - 1];
}

/**
 * A page this much later than it fell due says so (the worker's tick is a second; a dead replica's page is taken
 * over after its lease, 15 s).
 */
export const PAGE_LATE_AFTER_MS = 5_000;

/** How late a due item fired; past the tolerance it is reported as late (the bot was down). */
export function lateness(dueAt: Date, firedAt: Date, toleranceMs = 60_000): { late: boolean; byMs: number } {
  const byMs = Math.max(0, firedAt.getTime() - dueAt.getTime());
  return { late: byMs > toleranceMs, byMs };
}
