import { describe, expect, it } from 'vitest';
import { escalationPolicySchema, escalationSchema, type EscalationPolicy } from '../../src/config/escalation.js';
import { INCIDENT_STATUSES } from '../../src/domain/incident.js';
import { clockOf, clockRuns, lateness, levelOf, nextAfter, policyFor } from '../../src/domain/escalation.js';
import { testPlaybook } from '../support/playbooks.js';

const level = (name: string, clock: Record<string, string>) => ({
  name,
  responders: { users: ['U0ONCALL01'] },
  ...clock,
});

/** A policy as written in the config file. */
const policyText = (levels: number, repeat = 0) => ({
  levels: Array.from({ length: levels }, (_, i) => level(`L${i + 1}`, { acknowledged_within: '15m' })),
  repeat,
});
const policy = (levels: number, repeat = 0): EscalationPolicy =>
  escalationPolicySchema.parse(policyText(levels, repeat));

describe('what happens when a level runs out', () => {
  it('pages the next level in the same round', () => {
    expect(nextAfter(policy(3), 1, 0)).toEqual({ kind: 'escalate', level: 2, cycle: 0 });
    expect(nextAfter(policy(3), 2, 0)).toEqual({ kind: 'escalate', level: 3, cycle: 0 });
  });

  it('stops after the last level when the policy does not repeat', () => {
    expect(nextAfter(policy(3), 3, 0)).toEqual({ kind: 'stop', reason: 'exhausted' });
    expect(nextAfter(policy(1), 1, 0)).toEqual({ kind: 'stop', reason: 'exhausted' });
  });

  it('starts over from level 1 `repeat` times, then stops', () => {
    const twice = policy(2, 2);
    expect(nextAfter(twice, 2, 0)).toEqual({ kind: 'escalate', level: 1, cycle: 1 });
    expect(nextAfter(twice, 1, 1)).toEqual({ kind: 'escalate', level: 2, cycle: 1 });
    expect(nextAfter(twice, 2, 1)).toEqual({ kind: 'escalate', level: 1, cycle: 2 });
    expect(nextAfter(twice, 2, 2)).toEqual({ kind: 'stop', reason: 'exhausted' });
  });

  it('from a level set by hand, continues from that level', () => {
    expect(nextAfter(policy(4), 3, 0)).toEqual({ kind: 'escalate', level: 4, cycle: 0 });
  });

  it('pages every level of every round exactly once, in order, from level 1', () => {
    const p = policy(3, 1);
    const paged: string[] = ['1/0'];
    for (let next = nextAfter(p, 1, 0); next.kind === 'escalate'; next = nextAfter(p, next.level, next.cycle))
      paged.push(`${next.level}/${next.cycle}`);
    expect(paged).toEqual(['1/0', '2/0', '3/0', '1/1', '2/1', '3/1']);
  });
});

describe('a level clock', () => {
  it('is an acknowledgement clock or an unresolved clock, in milliseconds', () => {
    const p = escalationPolicySchema.parse({
      levels: [level('first', { acknowledged_within: '15m' }), level('second', { unresolved_after: '1h' })],
    });
    expect(clockOf(p.levels[0]!)).toEqual({ kind: 'ack', ms: 15 * 60_000 });
    expect(clockOf(p.levels[1]!)).toEqual({ kind: 'unresolved', ms: 3_600_000 });
  });

  it('refuses a level with both clocks or neither', () => {
    expect(escalationPolicySchema.safeParse({ levels: [level('x', {})] }).success).toBe(false);
    const both = level('x', { acknowledged_within: '1m', unresolved_after: '1m' });
    expect(escalationPolicySchema.safeParse({ levels: [both] }).success).toBe(false);
  });

  it('runs the acknowledgement clock only while the incident is open', () => {
    expect(INCIDENT_STATUSES.filter((s) => clockRuns('ack', s))).toEqual(['open']);
  });

  it('runs the unresolved clock until the incident is resolved', () => {
    expect(INCIDENT_STATUSES.filter((s) => clockRuns('unresolved', s))).toEqual(['open', 'acknowledged', 'mitigated']);
  });
});

describe('levels and the policy in force', () => {
  it('numbers levels from 1', () => {
    const p = policy(2);
    expect(levelOf(p, 1)?.name).toBe('L1');
    expect(levelOf(p, 2)?.name).toBe('L2');
    expect(levelOf(p, 0)).toBeUndefined();
    expect(levelOf(p, 3)).toBeUndefined();
  });

  const config = escalationSchema.parse({
    policies: { standard: policyText(2), critical: policyText(3) },
    by_severity: { sev1: 'critical' },
  });

  it("takes the severity's policy over the playbook's", () => {
    expect(policyFor(testPlaybook({ escalation: 'standard' }), 'sev1', config)?.name).toBe('critical');
  });

  it("takes the playbook's policy when the severity names none", () => {
    const chosen = policyFor(testPlaybook({ escalation: 'standard' }), 'sev2', config);
    expect(chosen).toEqual({ name: 'standard', policy: config.policies.standard });
  });

  it('has no policy when neither names one, or the name is not in the config', () => {
    expect(policyFor(testPlaybook(), 'sev3', config)).toBeUndefined();
    expect(policyFor(testPlaybook({ escalation: 'missing' }), 'sev3', config)).toBeUndefined();
  });
});

describe('lateness of due work', () => {
  const due = new Date('2026-11-23T03:00:00Z');
  const after = (ms: number) => new Date(due.getTime() + ms);

  it('is on time within the tolerance of a minute', () => {
    expect(lateness(due, after(60_000))).toEqual({ late: false, byMs: 60_000 });
  });

  it('is late past the tolerance, by how much', () => {
    expect(lateness(due, after(60_001))).toEqual({ late: true, byMs: 60_001 });
    expect(lateness(due, after(5_000), 1_000)).toEqual({ late: true, byMs: 5_000 });
  });

  it('counts work fired early as not late at all', () => {
    expect(lateness(due, after(-5_000))).toEqual({ late: false, byMs: 0 });
  });
});
