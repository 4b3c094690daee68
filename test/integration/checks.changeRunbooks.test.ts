import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checks/index.js';
import { sourceDocuments } from '../../src/config/checks.js';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { FakeMetrics } from '../support/targets.js';

/**
 * The checks the change runbooks' gates and watches run, each at its runbook's boundary values, against a
 * local service.
 */
let target: FakeMetrics;
let config: Config;

beforeAll(async () => {
  target = await FakeMetrics.start();
  const metrics = `${target.url}/metrics`;
  const env = {
    METRICS_URL: metrics,
    APP_METRICS_URL: metrics,
    STREAMLIT_METRICS_URL: metrics,
    BACKEND_URL: target.url,
  };
  ({ config } = await loadConfigFile(exampleConfigPath, env, { isExample: true }));
});
afterAll(() => target.close());

async function verdict(name: string, metrics = ''): Promise<'pass' | 'fail'> {
  target.metrics = metrics;
  const { latency_budget: _budget, ...check } = config.checks[name]!;
  const result = await runCheck(name, { ...check, retries: 0 });
  return result.status === 'fail' ? 'fail' : 'pass';
}

describe("the change runbooks' checks", () => {
  it('each carries the runbook it serves', () => {
    const of = (name: string) => sourceDocuments(config.checks[name]!);
    for (const name of ['webhook-delivery', 'job-processing', 'otel-export']) expect(of(name), name).toEqual(['001']);
    for (const name of ['concurrency-5', 'success-rate']) expect(of(name), name).toEqual(['002']);
    for (const name of ['backend-health', 'second-request-faster', 'redis-rollout', 'cache-performance'])
      expect(of(name), name).toEqual(['003']);
    for (const name of ['first-day-resources', 'test-suite']) expect(of(name), name).toEqual(['004']);
  });

  it('webhook delivery (001): above 95% succeeding, so failures of 5% fail it', async () => {
    const of = (failed: number) =>
      `webhook_deliveries_total{outcome="delivered"} ${100 - failed}\nwebhook_deliveries_total{outcome="failed"} ${failed}\n`;
    expect(await verdict('webhook-delivery', of(5))).toBe('fail');
    expect(await verdict('webhook-delivery', of(4))).toBe('pass');
  });

  it('job processing (001): stopped 2 minutes fails', async () => {
    expect(await verdict('job-processing', 'job_seconds_since_last_completed 120\n')).toBe('fail');
    expect(await verdict('job-processing', 'job_seconds_since_last_completed 119\n')).toBe('pass');
  });

  it('OTEL export (001): one failed export fails', async () => {
    expect(await verdict('otel-export', 'otel_export_failures_total 1\n')).toBe('fail');
    expect(await verdict('otel-export', 'otel_export_failures_total 0\n')).toBe('pass');
  });

  it('success rate (002): above 95%', async () => {
    const of = (ok: number) =>
      `http_requests_total{status="200"} ${ok}\nhttp_requests_total{status="504"} ${100 - ok}\n`;
    expect(await verdict('success-rate', of(95))).toBe('fail');
    expect(await verdict('success-rate', of(96))).toBe('pass');
  });

  it('cache performance (003): reads and writes under 5 ms on average, no N+1 queries', async () => {
    const of = (setMs: number, getMs: number, nPlusOne: number) =>
      `cache_operation_duration_seconds_sum{operation="set"} ${setMs / 1000}\n` +
      `cache_operation_duration_seconds_count{operation="set"} 1\n` +
      `cache_operation_duration_seconds_sum{operation="get"} ${getMs / 1000}\n` +
      `cache_operation_duration_seconds_count{operation="get"} 1\n` +
      `n_plus_one_queries_total ${nPlusOne}\n`;
    expect(await verdict('cache-performance', of(4.9, 4.9, 0))).toBe('pass');
    expect(await verdict('cache-performance', of(5, 4.9, 0))).toBe('fail');
    expect(await verdict('cache-performance', of(4.9, 5, 0))).toBe('fail');
    expect(await verdict('cache-performance', of(4.9, 4.9, 1))).toBe('fail');
  });

  it('first 24 hours (004): CPU under 70% and memory under 80%, stricter than the alerts', async () => {
    const of = (cpu: number, memory: number) =>
      `process_cpu_usage_ratio ${cpu}\nprocess_memory_usage_ratio ${memory}\n`;
    expect(await verdict('first-day-resources', of(0.69, 0.79))).toBe('pass');
    expect(await verdict('first-day-resources', of(0.7, 0.79))).toBe('fail');
    expect(await verdict('first-day-resources', of(0.69, 0.8))).toBe('fail');
  });

  it('backend (003): /health answers 200 and /metrics shows the cache metrics', async () => {
    target.health = { '/health': { status: 200, body: {} } };
    expect(await verdict('backend-health')).toBe('pass');
    target.health = { '/health': { status: 503, body: {} } };
    expect(await verdict('backend-health')).toBe('fail');
    expect(await verdict('backend-metrics', 'cache_hits_total 3\n')).toBe('pass');
    expect(await verdict('backend-metrics', 'http_requests_total 3\n')).toBe('fail');
  });
});

describe('cache is working (003): two identical calls, the second faster', () => {
  // The slow answer is held 600 ms by the server, far more than a local answer takes: the verdict does not
  // depend on the machine's speed.
  let server: Server;
  let slow: 'first' | 'second' | 'none' = 'first';
  let status = 200;
  let calls = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      calls += 1;
      const hold = (slow === 'first' && calls === 1) || (slow === 'second' && calls === 2) ? 600 : 0;
      setTimeout(() => res.writeHead(status).end('[]'), hold);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.env.CACHE_PROBE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/conversations`;
  });
  afterEach(() => {
    calls = 0;
    status = 200;
  });
  afterAll(async () => {
    delete process.env.CACHE_PROBE_URL;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('passes when the second answer comes faster', async () => {
    slow = 'first';
    expect(await verdict('second-request-faster')).toBe('pass');
    expect(calls).toBe(2);
  });

  it('fails when the second is slower, and when either is not a 2xx', async () => {
    slow = 'second';
    expect(await verdict('second-request-faster')).toBe('fail');
    calls = 0;
    slow = 'first';
    status = 500;
    expect(await verdict('second-request-faster')).toBe('fail');
  });
});
