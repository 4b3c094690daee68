import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checks/index.js';
import { checkSchema } from '../../src/config/checks.js';
import { envFields } from '../../src/config/fields.js';

const schema = checkSchema(envFields({ METRICS_TOKEN: 'metrics-secret-42' }));
const check = (input: Record<string, unknown>) => schema.parse({ kind: 'metrics', retries: 0, ...input });

function histogram(route: string, counts: number[]): string {
  const bounds = ['0.05', '0.1', '0.2', '0.5', '1', '+Inf'];
  return bounds
    .map((le, i) => `http_request_duration_seconds_bucket{route="${route}",le="${le}"} ${counts[i]}`)
    .join('\n');
}

/** What the service of documents 003 and 004 would export when healthy. */
const HEALTHY = `# HELP cache_hits_total Cache hits.
# TYPE cache_hits_total counter
cache_hits_total{cache="embedding"} 600
cache_hits_total{cache="query"} 300
# TYPE cache_misses_total counter
cache_misses_total{cache="embedding"} 60
cache_misses_total{cache="query"} 40
# TYPE http_requests_total counter
http_requests_total{method="POST",status="200"} 9990
http_requests_total{method="POST",status="500"} 5
http_requests_total{method="GET",status="503"} 5
# TYPE http_request_duration_seconds histogram
${histogram('/chat', [300, 500, 640, 670, 680, 680])}
${histogram('/health', [200, 300, 320, 320, 320, 320])}
http_request_duration_seconds_sum 97.5
http_request_duration_seconds_count 1000
# TYPE process_cpu_usage_ratio gauge
process_cpu_usage_ratio 0.35
`;

/** The same service in trouble: cold cache, 5% errors, slow tail. */
const TROUBLED = `cache_hits_total 550
cache_misses_total 450
http_requests_total{status="200"} 950
http_requests_total{status="500"} 30
http_requests_total{status="503"} 20
${histogram('/chat', [100, 300, 600, 900, 980, 1000])}
process_cpu_usage_ratio 0.93
`;

/** No 5xx yet: the 5xx series does not exist at all, as with most client libraries. */
const NO_ERRORS = 'http_requests_total{status="200"} 10\n';

const THRESHOLDS = [
  {
    name: 'cache hit rate',
    ratio: { of: 'cache_hits_total', to: ['cache_hits_total', 'cache_misses_total'] },
    op: '>',
    value: 0.8,
  },
  {
    name: 'error rate',
    ratio: { of: 'http_requests_total{status=~"5.."}', to: 'http_requests_total' },
    op: '<',
    value: 0.01,
  },
  { name: 'p95 latency', quantile: { histogram: 'http_request_duration_seconds', q: 0.95 }, op: '<', value: 0.2 },
  { name: 'cpu', series: 'process_cpu_usage_ratio', op: '<=', value: 0.8 },
];

let server: Server;
let base: string;
let hits = 0;
const pages: Record<string, string> = {
  '/metrics': HEALTHY,
  '/troubled': TROUBLED,
  '/no-errors': NO_ERRORS,
  '/garbage': 'ok_total 1\nbroken{le="0.1" 3\n',
};

function route(req: IncomingMessage, res: ServerResponse) {
  hits++;
  if (req.url === '/private') {
    return req.headers.authorization === 'Bearer metrics-secret-42'
      ? res.writeHead(200).end(HEALTHY)
      : res.writeHead(401).end();
  }
  const page = pages[req.url ?? ''];
  if (page === undefined) return res.writeHead(500).end('boom');
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(page);
}

beforeAll(async () => {
  server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('metrics checks', () => {
  it('pass a healthy service: hit rate, error rate, p95 from the histogram and a gauge', async () => {
    const result = await runCheck('metrics', check({ url: `${base}/metrics`, thresholds: THRESHOLDS }));
    expect(result.status).toBe('pass');
    expect(result.details.slice(1)).toEqual([
      '✓ cache hit rate: 0.9 (> 0.8)',
      '✓ error rate: 0.001 (< 0.01)',
      // Rank 950 of 1000 lies in (0.1, 0.2] between counts 800 and 960: 0.1 + 0.1 × 150/160.
      '✓ p95 latency: 0.1938 (< 0.2)',
      '✓ cpu: 0.35 (<= 0.8)',
    ]);
  });

  it('fail a troubled service and name every threshold that broke', async () => {
    const result = await runCheck('metrics', check({ url: `${base}/troubled`, thresholds: THRESHOLDS }));
    expect(result.status).toBe('fail');
    expect(result.failure).toBe(
      'cache hit rate is 0.55, expected > 0.8; error rate is 0.05, expected < 0.01; p95 latency is 0.8125, expected < 0.2; and 1 more',
    );
    expect(result.details).toContain('✗ cpu is 0.93, expected <= 0.8');
  });

  it('count an error series that does not exist yet as zero errors', async () => {
    const result = await runCheck('metrics', check({ url: `${base}/no-errors`, thresholds: [THRESHOLDS[1]] }));
    expect(result.status).toBe('pass');
    expect(result.details[1]).toBe('✓ error rate: 0 (< 0.01)');
  });

  it('fail a threshold whose series is not exported, saying which', async () => {
    const result = await runCheck(
      'metrics',
      check({ url: `${base}/no-errors`, thresholds: [THRESHOLDS[0], THRESHOLDS[2], THRESHOLDS[3]] }),
    );
    expect(result.failure?.split('; ')).toEqual([
      'cache hit rate: no series matches cache_hits_total + cache_misses_total',
      'p95 latency: no buckets match http_request_duration_seconds_bucket',
      'cpu: no series matches process_cpu_usage_ratio',
    ]);
  });

  it('narrow a histogram with label matchers', async () => {
    const result = await runCheck(
      'metrics',
      check({
        url: `${base}/metrics`,
        thresholds: [
          {
            name: 'health p50',
            quantile: { histogram: 'http_request_duration_seconds{route="/health"}', q: 0.5 },
            op: '<',
            value: 0.1,
          },
        ],
      }),
    );
    // Rank 160 of 320 lies in the first bucket, (0, 0.05], which holds 200: 0.05 × 160/200.
    expect(result.details[1]).toBe('✓ health p50: 0.04 (< 0.1)');
  });

  it('fail a bad selector once, without scraping or retrying: it is a config mistake', async () => {
    hits = 0;
    const result = await runCheck(
      'metrics',
      check({
        url: `${base}/metrics`,
        retries: 2,
        thresholds: [{ name: 'typo', series: 'http_requests_total{status=~5..}', op: '<', value: 1 }],
      }),
      { sleep: async () => undefined },
    );
    expect(result).toMatchObject({ status: 'fail', attempts: 1 });
    expect(result.failure).toBe(
      'typo: bad selector `http_requests_total{status=~5..}`: expected a quoted value for status',
    );
    expect(hits).toBe(0);
  });

  it('fail an endpoint that does not speak the text format, with the line', async () => {
    const result = await runCheck('metrics', check({ url: `${base}/garbage`, thresholds: [THRESHOLDS[3]] }));
    expect(result.failure).toBe(
      'the metrics are not in the Prometheus text format (line 2: expected , or } after label le)',
    );
  });

  it('fail an endpoint that answers an error status', async () => {
    const result = await runCheck('metrics', check({ url: `${base}/nowhere`, thresholds: [THRESHOLDS[3]] }));
    expect(result.failure).toBe('expected status 200 from the metrics endpoint, got 500');
  });

  it('send header credentials and keep them out of the result', async () => {
    const result = await runCheck(
      'metrics',
      check({
        url: `${base}/private`,
        headers: { Authorization: 'Bearer ${METRICS_TOKEN}' },
        thresholds: [THRESHOLDS[3]],
      }),
    );
    expect(result.status).toBe('pass');
    expect(JSON.stringify(result)).not.toContain('metrics-secret-42');
  });
});
