import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checks/index.js';
import { sourceDocuments } from '../../src/config/checks.js';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { FakeMetrics } from '../support/targets.js';

/**
 * Each service's own numbers: every per-service check of the example config, run against a local service at
 * the values its runbook names, on both sides of the boundary.
 */
let target: FakeMetrics;
let config: Config;

beforeAll(async () => {
  target = await FakeMetrics.start();
  const metrics = `${target.url}/metrics`;
  const env = {
    MODELS_API_METRICS_URL: metrics,
    METRICS_URL: metrics,
    APP_METRICS_URL: metrics,
    STREAMLIT_METRICS_URL: metrics,
    STREAMLIT_URL: target.url,
    APP_URL: target.url,
  };
  ({ config } = await loadConfigFile(exampleConfigPath, env, { isExample: true }));
});
afterAll(() => target.close());

/** Runs a check of the example config once (no retries, no latency budget): pass or fail. */
async function verdict(name: string, metrics: string): Promise<'pass' | 'fail'> {
  target.metrics = metrics;
  const { latency_budget: _budget, ...check } = config.checks[name]!;
  const result = await runCheck(name, { ...check, retries: 0 });
  return result.status === 'fail' ? 'fail' : 'pass';
}

const ratio = (hits: string, misses: string, h: number, total: number) => `${hits} ${h}\n${misses} ${total - h}\n`;
/** A histogram whose cumulative counts at `bounds` are `counts` (the +Inf bucket added), 100 observations. */
function histogram(name: string, bounds: number[], counts: number[]): string {
  const lines = bounds.map((le, i) => `${name}_bucket{le="${le}"} ${counts[i]}`);
  return [...lines, `${name}_bucket{le="+Inf"} 100`, `${name}_count 100`, ''].join('\n');
}
/** 95 of 100 observations at or below `bound` put the P95 exactly on it; 96 put it just under. */
const p95 = (name: string, below: number, bound: number, above: number, atOrUnder: 95 | 96) =>
  histogram(name, [below, bound, above], [50, atOrUnder, 100]);
const requests = (errors: number, total: number) =>
  `http_requests_total{status="200"} ${total - errors}\nhttp_requests_total{status="500"} ${errors}\n`;

describe('each service its own numbers', () => {
  it('every metrics and health check of a service names the runbook section its numbers come from', () => {
    for (const name of ['token-cache-hit-rate', 'models-api-latency', 'cache-hit-rate', 'cache-hit-rate-stable']) {
      expect(sourceDocuments(config.checks[name]!), name).not.toEqual([]);
    }
    expect(sourceDocuments(config.checks['api-latency']!)).toEqual(['001', '003']);
    expect(sourceDocuments(config.checks['streamlit-health']!)).toEqual(['004']);
    expect(sourceDocuments(config.checks['api-port']!)).toEqual([]);
  });

  it('token cache hit rate (000): above 80%', async () => {
    const of = (h: number) => ratio('token_cache_hits_total', 'token_cache_misses_total', h, 100);
    expect(await verdict('token-cache-hit-rate', of(80))).toBe('fail');
    expect(await verdict('token-cache-hit-rate', of(81))).toBe('pass');
  });

  it('cache hit rate (003): above 60% in the first hour, above 70% once stable', async () => {
    const of = (h: number) => ratio('cache_hits_total', 'cache_misses_total', h, 100);
    expect(await verdict('cache-hit-rate', of(60))).toBe('fail');
    expect(await verdict('cache-hit-rate', of(61))).toBe('pass');
    expect(await verdict('cache-hit-rate-stable', of(70))).toBe('fail');
    expect(await verdict('cache-hit-rate-stable', of(71))).toBe('pass');
  });

  it('embedding cache hit rate (004): 70-90%, both ends included', async () => {
    const of = (h: number) =>
      ratio('cache_hits_total{cache="embedding"}', 'cache_misses_total{cache="embedding"}', h, 100);
    expect(await verdict('embedding-cache-hit-rate', of(69))).toBe('fail');
    expect(await verdict('embedding-cache-hit-rate', of(70))).toBe('pass');
    expect(await verdict('embedding-cache-hit-rate', of(90))).toBe('pass');
    expect(await verdict('embedding-cache-hit-rate', of(91))).toBe('fail');
  });

  it('query cache hit rate (004): 50-80%, both ends included', async () => {
    const of = (h: number) => ratio('cache_hits_total{cache="query"}', 'cache_misses_total{cache="query"}', h, 100);
    expect(await verdict('query-cache-hit-rate', of(49))).toBe('fail');
    expect(await verdict('query-cache-hit-rate', of(50))).toBe('pass');
    expect(await verdict('query-cache-hit-rate', of(80))).toBe('pass');
    expect(await verdict('query-cache-hit-rate', of(81))).toBe('fail');
  });

  it('API latency (001/003): P95 under 200 ms', async () => {
    const name = 'http_request_duration_seconds';
    expect(await verdict('api-latency', p95(name, 0.1, 0.2, 0.5, 95))).toBe('fail');
    expect(await verdict('api-latency', p95(name, 0.1, 0.2, 0.5, 96))).toBe('pass');
  });

  it('response time (002/004): P95 under 30 s, so a language-model service at ~3 s passes where 200 ms would fail', async () => {
    const name = 'http_request_duration_seconds';
    expect(await verdict('response-time', p95(name, 5, 30, 60, 95))).toBe('fail');
    expect(await verdict('response-time', p95(name, 5, 30, 60, 96))).toBe('pass');
    const seconds = p95(name, 1, 3, 10, 96);
    expect(await verdict('response-time', seconds)).toBe('pass');
    expect(await verdict('api-latency', seconds)).toBe('fail');
  });

  it('models API (000): P95 under the 60 s base timeout, timeouts under 5%, auth failures under 1%', async () => {
    const healthy = (atOrUnder: 95 | 96, timeouts: number, authFailures: number) =>
      p95('models_api_request_duration_seconds', 5, 60, 480, atOrUnder) +
      `models_api_requests_total 100\nmodels_api_request_timeouts_total ${timeouts}\n` +
      `models_api_auth_failures_total ${authFailures}\n`;
    expect(await verdict('models-api-latency', healthy(96, 4, 0))).toBe('pass');
    expect(await verdict('models-api-latency', healthy(95, 4, 0))).toBe('fail');
    expect(await verdict('models-api-latency', healthy(96, 5, 0))).toBe('fail');
    expect(await verdict('models-api-latency', healthy(96, 4, 1))).toBe('fail');
  });

  it('error rate: under 1% (004), under 0.1% on the critical paths (001)', async () => {
    expect(await verdict('error-rate', requests(10, 1000))).toBe('fail');
    expect(await verdict('error-rate', requests(9, 1000))).toBe('pass');
    expect(await verdict('error-rate-critical', requests(1, 1000))).toBe('fail');
    expect(await verdict('error-rate-critical', requests(1, 1001))).toBe('pass');
    expect(await verdict('error-rate-critical', requests(5, 1000))).toBe('fail');
    expect(await verdict('error-rate', requests(5, 1000))).toBe('pass');
  });

  it('health: /_stcore/health answers {"status":"ok"} (004); /health answers healthy services (002)', async () => {
    const ok = { status: 200, body: { status: 'ok' } };
    const healthy = { status: 200, body: { status: 'healthy', services: { database: 'healthy' } } };
    target.health = { '/_stcore/health': ok, '/health': ok };
    expect(await verdict('streamlit-health', '')).toBe('pass');
    expect(await verdict('app-health', '')).toBe('fail');
    target.health = { '/_stcore/health': healthy, '/health': healthy };
    expect(await verdict('streamlit-health', '')).toBe('fail');
    expect(await verdict('app-health', '')).toBe('pass');
  });
});
