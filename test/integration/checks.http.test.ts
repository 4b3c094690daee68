import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checks/index.js';
import { checkSchema } from '../../src/config/checks.js';
import { envFields } from '../../src/config/fields.js';

const TOKEN = 'tok-secret-123456';
const schema = checkSchema(envFields({ HC_TOKEN: TOKEN }, { lenient: true }));
const check = (input: Record<string, unknown>) => schema.parse({ kind: 'http', retries: 0, ...input });

/** Document 002's /health response. */
const HEALTHY = {
  status: 'healthy',
  timestamp: '2025-10-11T01:53:24.747Z',
  services: { database: 'healthy', rag_service: 'healthy', memory_usage: 'healthy' },
};
const DEGRADED = { ...HEALTHY, status: 'degraded', services: { ...HEALTHY.services, database: 'down' } };
const HEALTH_EXPECT = {
  status: 200,
  json: [
    { path: 'status', equals: 'healthy' },
    { path: 'services.*', equals: 'healthy' },
  ],
};

let server: Server;
let base: string;
let closedPort: number;
let flakyHits = 0;
const hung: ServerResponse[] = [];

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function route(req: IncomingMessage, res: ServerResponse) {
  switch (req.url) {
    case '/health':
      return json(res, 200, HEALTHY);
    case '/health-degraded':
      return json(res, 200, DEGRADED);
    case '/down':
      return res.writeHead(503).end('Service Unavailable');
    case '/slow':
      return void setTimeout(() => json(res, 200, HEALTHY), 150);
    case '/hang':
      return void hung.push(res); // accepts the request, never answers
    case '/flaky':
      return ++flakyHits <= 2 ? res.writeHead(503).end() : json(res, 200, HEALTHY);
    case '/auth':
      // Echoes the credential back on failure, as careless services do: the result must not show it.
      return req.headers.authorization === `Bearer ${TOKEN}`
        ? json(res, 200, HEALTHY)
        : res.writeHead(401).end(`bad credential ${req.headers.authorization}`);
    case '/echo-auth':
      return res.writeHead(500).end(`you sent ${req.headers.authorization}`);
    case '/basic':
      return req.headers.authorization === `Basic ${Buffer.from('ops:pw-in-url-789').toString('base64')}`
        ? json(res, 200, HEALTHY)
        : res.writeHead(401).end();
    default:
      return res.writeHead(404).end();
  }
}

beforeAll(async () => {
  server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
  closedPort = (spare.address() as AddressInfo).port;
  await new Promise((resolve) => spare.close(resolve));
});

afterAll(async () => {
  for (const res of hung) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('http checks', () => {
  it('pass a healthy /health and list each expectation', async () => {
    const result = await runCheck(
      'app-health',
      check({ title: 'Application /health', url: `${base}/health`, expect: HEALTH_EXPECT, latency_budget: '5s' }),
    );
    expect(result).toMatchObject({
      name: 'app-health',
      title: 'Application /health',
      kind: 'http',
      status: 'pass',
      attempts: 1,
    });
    expect(result.failure).toBeUndefined();
    expect(result.details).toEqual([
      expect.stringMatching(/^GET http:\/\/127\.0\.0\.1:\d+\/health → 200 in \d+ ms$/),
      '✓ status 200',
      '✓ status is "healthy"',
      '✓ services.* all "healthy" (3)',
      expect.stringMatching(/^✓ took \d+ ms \(budget 5.0 s\)$/),
    ]);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('fail when one service under services.* is down, naming it', async () => {
    const result = await runCheck('app-health', check({ url: `${base}/health-degraded`, expect: HEALTH_EXPECT }));
    expect(result.status).toBe('fail');
    expect(result.failure).toBe(
      'status is "degraded", expected "healthy"; services.database is "down", expected "healthy"',
    );
    expect(result.details).toContain('✗ services.database is "down", expected "healthy"');
  });

  it('fail on an unexpected status and show the start of the body', async () => {
    const result = await runCheck('app-health', check({ url: `${base}/down` }));
    expect(result).toMatchObject({ status: 'fail', failure: 'expected status 200, got 503' });
    expect(result.details).toContain('body: Service Unavailable');
    const listed = await runCheck('app-health', check({ url: `${base}/down`, expect: { status: [200, 204] } }));
    expect(listed.failure).toBe('expected status 200 or 204, got 503');
    const accepted = await runCheck('app-health', check({ url: `${base}/down`, expect: { status: [503] } }));
    expect(accepted.status).toBe('pass');
  });

  it('check body_contains', async () => {
    expect(
      (await runCheck('h', check({ url: `${base}/health`, expect: { body_contains: 'rag_service' } }))).status,
    ).toBe('pass');
    const missing = await runCheck('h', check({ url: `${base}/health`, expect: { body_contains: 'vector_store' } }));
    expect(missing.failure).toBe('the body does not contain "vector_store"');
  });

  it('report a pass slower than latency_budget as degraded', async () => {
    const result = await runCheck(
      'slow',
      check({ url: `${base}/slow`, latency_budget: '50ms', expect: HEALTH_EXPECT }),
    );
    expect(result.status).toBe('degraded');
    expect(result.failure).toMatch(/^took \d+ ms, over the 50 ms budget$/);
    expect(result.latencyMs).toBeGreaterThan(50);
  });

  it('give up on a server that accepts and never answers, within the timeout', async () => {
    const started = performance.now();
    const result = await runCheck('hang', check({ url: `${base}/hang`, timeout: '300ms' }));
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ status: 'fail', failure: 'no answer within 300 ms', attempts: 1 });
    expect(elapsed).toBeLessThan(2_000); // the target would hold it for 10 s or more; the margin is for a busy machine
  });

  it('say the connection was refused on a closed port', async () => {
    const result = await runCheck('closed', check({ url: `http://127.0.0.1:${closedPort}/health` }));
    expect(result).toMatchObject({ status: 'fail', failure: `connection refused on 127.0.0.1:${closedPort}` });
  });

  it('fail an unknown host with a plain sentence', async () => {
    const result = await runCheck('nohost', check({ url: 'http://no-such-host.invalid/health', timeout: '3s' }));
    expect(result.status).toBe('fail');
    expect(result.failure).toMatch(/^(host no-such-host\.invalid not found|no answer within 3s)$/);
  });

  it('retry with backoff until the server recovers', async () => {
    flakyHits = 0;
    const delays: number[] = [];
    const result = await runCheck(
      'flaky',
      check({ url: `${base}/flaky`, retries: 2, backoff: { initial: '1s', factor: 2, max: '10s', jitter: true } }),
      {
        sleep: async (ms) => void delays.push(ms),
        random: () => 0.5,
      },
    );
    expect(result).toMatchObject({ status: 'pass', attempts: 3 });
    expect(flakyHits).toBe(3);
    // Equal jitter with random 0.5: three quarters of 1 s, then of 2 s.
    expect(delays).toEqual([750, 1_500]);
    expect(result.details.slice(0, 2)).toEqual([
      'attempt 1: expected status 200, got 503',
      'attempt 2: expected status 200, got 503',
    ]);
  });

  it('stop after the last retry and report the last failure', async () => {
    const delays: number[] = [];
    const result = await runCheck(
      'down',
      check({ url: `${base}/down`, retries: 3, backoff: { initial: '100ms', factor: 3, max: '500ms', jitter: false } }),
      { sleep: async (ms) => void delays.push(ms) },
    );
    expect(result).toMatchObject({ status: 'fail', attempts: 4, failure: 'expected status 200, got 503' });
    expect(delays).toEqual([100, 300, 500]);
  });

  it('reveal header credentials only in the request, never in the result', async () => {
    const ok = await runCheck('auth', check({ url: `${base}/auth`, headers: { Authorization: 'Bearer ${HC_TOKEN}' } }));
    expect(ok.status).toBe('pass');
    const echoed = await runCheck(
      'echo',
      check({ url: `${base}/echo-auth`, headers: { Authorization: 'Token ${HC_TOKEN}' } }),
    );
    expect(echoed.status).toBe('fail');
    expect(JSON.stringify(echoed)).not.toContain(TOKEN);
    expect(echoed.details.join('\n')).toContain('body: you sent [redacted]');
  });

  it('send credentials in the URL as Basic auth and never show the password', async () => {
    const result = await runCheck(
      'basic',
      check({ url: `http://ops:pw-in-url-789@${base.slice('http://'.length)}/basic` }),
    );
    expect(result.status).toBe('pass');
    expect(JSON.stringify(result)).not.toContain('pw-in-url-789');
    expect(result.details[0]).toContain('http://ops@127.0.0.1');
  });

  it('say which variable to set when a header credential is missing, without retrying', async () => {
    const sleeps: number[] = [];
    const result = await runCheck(
      'auth',
      check({ url: `${base}/auth`, retries: 2, headers: { Authorization: 'Bearer ${HC_MISSING}' } }),
      { sleep: async (ms) => void sleeps.push(ms) },
    );
    expect(result).toMatchObject({
      status: 'fail',
      attempts: 1,
      failure: 'not configured: set HC_MISSING in the environment',
    });
    expect(sleeps).toEqual([]);
  });

  it('stop at once when the caller cancels', async () => {
    const controller = new AbortController();
    const pending = runCheck('hang', check({ url: `${base}/hang`, timeout: '10s', retries: 3 }), {
      signal: controller.signal,
    });
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ status: 'fail', failure: 'cancelled', attempts: 1 });
  });
});
