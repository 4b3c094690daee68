import { describe, expect, it } from 'vitest';
import { overallStatus, resolveTarget, suggestTargets, type CheckResult } from '../../src/checks/index.js';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';

const { config } = await loadConfigFile(exampleConfigPath, {}, { isExample: true });

describe('resolveTarget', () => {
  it('runs every configured check when no target is given', () => {
    const all = resolveTarget(config)!;
    expect(all.target).toBe('all');
    expect(all.title).toBe('All checks');
    expect(all.checks.map((c) => c.name)).toEqual(Object.keys(config.checks));
  });

  it('resolves a group to its checks, in the group order, with its title', () => {
    const core = resolveTarget(config, 'core')!;
    expect(core).toMatchObject({ target: 'core', title: 'Core services' });
    expect(core.checks.map((c) => c.name)).toEqual(['app-health', 'api-port', 'database', 'redis']);
    expect(core.checks[0]!.config.kind).toBe('http');
  });

  it('resolves a single check, whatever the case and spacing typed', () => {
    const one = resolveTarget(config, '  Database ')!;
    expect(one).toMatchObject({ target: 'database', title: 'Application database' });
    expect(one.checks).toHaveLength(1);
  });

  it('answers undefined for an unknown name, including inherited property names', () => {
    expect(resolveTarget(config, 'nope')).toBeUndefined();
    expect(resolveTarget(config, 'constructor')).toBeUndefined();
    expect(resolveTarget(config, 'toString')).toBeUndefined();
  });

  it('skips a name a hand-built group lists but no check has', () => {
    const target = resolveTarget({ checks: {}, groups: { g: { checks: ['ghost'], open_after_failures: 3 } } }, 'g');
    expect(target?.checks).toEqual([]);
  });
});

describe('suggestTargets', () => {
  it('offers the closest check and group names for a typo', () => {
    expect(suggestTargets(config, 'databse')[0]).toBe('database');
    expect(suggestTargets(config, 'cor')).toContain('core');
    expect(suggestTargets(config, 'redsi')).toContain('redis');
    expect(suggestTargets(config, 'latency')).toContain('api-latency');
  });

  it('offers nothing for text that is nowhere near a name', () => {
    expect(suggestTargets(config, 'zzzzzzzzzzzzzzzz')).toEqual([]);
    expect(suggestTargets(config, '')).toEqual([]);
  });
});

describe('overallStatus', () => {
  const result = (status: CheckResult['status']): CheckResult => ({
    name: 'x',
    title: 'x',
    kind: 'tcp',
    status,
    latencyMs: 1,
    attempts: 1,
    details: [],
    startedAt: new Date(0),
  });

  it('is the worst status of all', () => {
    expect(overallStatus([result('pass'), result('degraded'), result('pass')])).toBe('degraded');
    expect(overallStatus([result('degraded'), result('fail'), result('pass')])).toBe('fail');
    expect(overallStatus([result('pass')])).toBe('pass');
    expect(overallStatus([])).toBe('pass');
  });
});
