import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import type { Playbook } from '../../src/playbooks/schema.js';

/** The shipped change runbooks say what their source runbooks say: phases, gates, watches, deadlines. */
let byId: Map<string, Playbook>;
beforeAll(async () => {
  const { playbooks, problems } = await loadPlaybooks(resolve(import.meta.dirname, '../../playbooks'));
  expect(problems).toEqual([]);
  byId = new Map(playbooks.map((p) => [p.id, p]));
});
const get = (id: string) => byId.get(id)!;
const windows = (id: string) => get(id).watch?.windows.map((w) => ({ every: w.every, for: w.for, checks: w.checks }));
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('the shipped change runbooks', () => {
  it('are one per deployment the source runbooks describe', () => {
    const changes = [...byId.values()].filter((p) => p.kind === 'change').map((p) => [p.id, p.source.document]);
    expect(Object.fromEntries(changes)).toEqual({
      'platform-deploy': '001',
      'threading-deploy': '002',
      'cache-rollout': '003',
      readiness: '004',
      'readiness-ops': '004',
      'go-live': '004',
    });
  });

  it('001: four phases, six gates, then the 24-hour watch: critical metrics, immediate alerts, hourly checks', () => {
    const p = get('platform-deploy');
    expect(new Set(p.gates.map((g) => g.phase)).size).toBe(4);
    expect(p.gates.map((g) => g.name)).toEqual(['database', 'redis', 'telemetry', 'webhooks', 'workers', 'ngrok']);
    expect(windows('platform-deploy')).toEqual([
      { every: 5 * MIN, for: HOUR, checks: ['deploy-critical'] },
      { every: MIN, for: 24 * HOUR, checks: ['deploy-alerts'] },
      { every: HOUR, for: 24 * HOUR, checks: ['deploy-hourly'] },
    ]);
    expect(p.watch?.opens).toBe('critical');
  });

  it('002: staging before production, and the concurrency tests as checks before the validation gate', () => {
    const p = get('threading-deploy');
    expect(p.gates.map((g) => g.name)).toEqual(['ready', 'staging', 'prepared', 'deployed', 'validated', 'performing']);
    const validated = p.gates.find((g) => g.name === 'validated')!;
    expect(validated.checks).toContain('threading-concurrency');
    const tests = p.steps.slice(0, validated.after_step).map((s) => s.check);
    expect(tests).toEqual(
      expect.arrayContaining(['concurrency-single', 'concurrency-3', 'concurrency-5', 'concurrency-10']),
    );
  });

  it('003: backups first, the second request faster before the last gate, the first hour watched', () => {
    const p = get('cache-rollout');
    expect(p.gates[0]).toMatchObject({ name: 'backed-up', after_step: 5 });
    expect(p.steps.slice(1, 4).map((s) => s.title)).toEqual([
      'Database backup created',
      'Application code committed to git',
      'Current .env file backed up',
    ]);
    const verified = p.gates.at(-1)!;
    expect(p.steps.findIndex((s) => s.check === 'second-request-faster')).toBeLessThan(verified.after_step);
    expect(windows('cache-rollout')![0]).toEqual({ every: 5 * MIN, for: HOUR, checks: ['rollout-first-hour'] });
    expect(p.watch?.opens).toBe('cache-rollback');
  });

  it("003's rollback: immediate within 5 minutes once verified without cache, full within 15 minutes", () => {
    const p = get('cache-rollback');
    const deadline = (name: string) => p.deadlines.find((d) => d.name === name)!;
    expect(deadline('immediate-rollback').within).toBe(5 * MIN);
    const verify = p.steps[(deadline('immediate-rollback').met_by as { step: number }).step - 1]!;
    expect(verify).toMatchObject({ title: 'Verify application works without cache', check: 'backend-health' });
    expect(deadline('full-rollback')).toMatchObject({ within: 15 * MIN, met_by: { step: p.steps.length } });
  });

  it("004: readiness item by item, go-live's first 24 hours and six alert thresholds watched, week one as deadlines", () => {
    expect(get('readiness').steps.length + get('readiness-ops').steps.length).toBe(48);
    expect(windows('go-live')).toEqual([
      { every: 5 * MIN, for: 24 * HOUR, checks: ['first-day'] },
      { every: MIN, for: 24 * HOUR, checks: ['alert-thresholds'] },
    ]);
    expect(get('go-live').watch?.failures_in_a_row).toBe(5);
    expect(get('go-live').deadlines.map((d) => d.within / (24 * HOUR))).toEqual([1, 2, 3, 4, 5, 7]);
  });
});
