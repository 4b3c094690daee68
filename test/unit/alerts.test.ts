import { describe, expect, it } from 'vitest';
import {
  alertGroupKey,
  alertSummary,
  alertmanagerPayload,
  mergeTallies,
  routeFor,
  tallyNames,
} from '../../src/domain/alerts.js';

const routes: Array<{ match: Record<string, string>; playbook: string }> = [
  { match: { alertname: 'RedisDown', env: 'prod' }, playbook: 'redis-down' },
  { match: { alertname: 'RedisDown' }, playbook: 'cache' },
];

describe('alert routes', () => {
  it('takes the first route whose labels all match', () => {
    expect(routeFor(routes, { alertname: 'RedisDown', env: 'prod', instance: 'a' })?.playbook).toBe('redis-down');
    expect(routeFor(routes, { alertname: 'RedisDown', env: 'staging' })?.playbook).toBe('cache');
  });

  it('matches nothing when a label is missing or differs', () => {
    expect(routeFor(routes, { alertname: 'redisdown' })).toBeUndefined();
    expect(routeFor(routes, { env: 'prod' })).toBeUndefined();
  });
});

describe('alert summary', () => {
  const alert = (annotations: Record<string, string>) =>
    alertmanagerPayload.parse({
      version: '4',
      status: 'firing',
      receiver: 'r',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'HighMemoryUsage' },
          annotations,
          startsAt: '2026-11-30T03:00:00Z',
          fingerprint: 'f1',
        },
      ],
    }).alerts[0]!;

  it('names the alert and its summary, or its description', () => {
    expect(alertSummary(alert({ summary: 'memory > 90%' }))).toBe('Alertmanager: HighMemoryUsage: memory > 90%');
    expect(alertSummary(alert({ description: 'api-1 uses 95%' }))).toBe(
      'Alertmanager: HighMemoryUsage: api-1 uses 95%',
    );
    expect(alertSummary(alert({}))).toBe('Alertmanager: HighMemoryUsage');
  });

  it('keeps it on one line and within the summary limit', () => {
    const summary = alertSummary(alert({ summary: `line one\nline two\u0007 ${'x'.repeat(1_000)}` }));
    expect(summary).not.toContain('\n');
    expect(summary).not.toContain('\u0007');
    expect([...summary].length).toBeLessThanOrEqual(500);
  });
});

describe('the webhook body', () => {
  it('refuses another version, an alert without a fingerprint, and an empty batch', () => {
    const base = {
      status: 'firing',
      receiver: 'r',
      alerts: [{ status: 'firing', labels: {}, startsAt: '2026-11-30T03:00:00Z', fingerprint: 'f' }],
    };
    expect(alertmanagerPayload.safeParse({ ...base, version: '4' }).success).toBe(true);
    expect(alertmanagerPayload.safeParse({ ...base, version: '3' }).success).toBe(false);
    expect(
      alertmanagerPayload.safeParse({ ...base, version: '4', alerts: [{ ...base.alerts[0], fingerprint: undefined }] })
        .success,
    ).toBe(false);
    expect(alertmanagerPayload.safeParse({ ...base, version: '4', alerts: [] }).success).toBe(false);
  });
});

describe('alert groups', () => {
  it("groups by Alertmanager's groupKey and the route's playbook; without a groupKey, by the playbook", () => {
    expect(alertGroupKey('{}:{alertname="RedisDown"}', 'redis-down')).toBe('am:redis-down:{}:{alertname="RedisDown"}');
    expect(alertGroupKey('{}:{alertname="RedisDown"}', 'cache')).not.toBe(
      alertGroupKey('{}:{alertname="RedisDown"}', 'redis-down'),
    );
    expect(alertGroupKey(undefined, 'redis-down')).toBe('route:redis-down');
  });

  it('tallies the names of joined alerts, most first', () => {
    expect(tallyNames(['B', 'A', 'B', 'C', 'B', 'A'])).toEqual([
      { name: 'B', count: 3 },
      { name: 'A', count: 2 },
      { name: 'C', count: 1 },
    ]);
  });

  it('merges the tallies of batches said in one line, most first, names sorted within a count', () => {
    const merged = mergeTallies([
      [{ name: 'RedisDown', count: 2 }],
      [
        { name: 'HighCPU', count: 1 },
        { name: 'RedisDown', count: 1 },
      ],
      [{ name: 'DiskFull', count: 1 }],
    ]);
    expect(merged).toEqual([
      { name: 'RedisDown', count: 3 },
      { name: 'DiskFull', count: 1 },
      { name: 'HighCPU', count: 1 },
    ]);
  });
});
