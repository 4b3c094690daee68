import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overallStatus, resolveTarget, runChecks } from '../../src/checks/index.js';
import { type CheckConfig, checkSchema } from '../../src/config/checks.js';
import { envFields } from '../../src/config/fields.js';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import { DATABASE_URL, REDIS_URL } from '../support/env.js';

const schema = checkSchema(envFields({ PG_URL: DATABASE_URL, RD_URL: REDIS_URL }));
// Long enough for a check that must pass (a `node -e` start, a PostgreSQL login) on a busy 2-core machine.
const TIMEOUT = 10_000;
/** The hung targets' timeout: side by side, each hung request is still open when the last one arrives. */
const HUNG_TIMEOUT = 5_000;
const HUNG = 3;

let server: Server;
let base: string;
const hung: ServerResponse[] = [];
/** Hung requests open right now, and the most there ever were at once. */
let hanging = 0;
let mostHangingAtOnce = 0;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/hang') {
      hung.push(res);
      mostHangingAtOnce = Math.max(mostHangingAtOnce, ++hanging);
      res.on('close', () => hanging--);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"healthy"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hung) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Twenty checks of every kind that does I/O that answer, and three against targets that never do. */
function twenty(): Record<string, CheckConfig> {
  const common = { retries: 0, timeout: `${TIMEOUT}ms` };
  const checks: Record<string, CheckConfig> = {};
  for (let i = 0; i < 14; i++)
    checks[`web-${i}`] = schema.parse({
      kind: 'http',
      ...common,
      url: `${base}/health`,
      expect: { json: [{ path: 'status', equals: 'healthy' }] },
    });
  checks.port = schema.parse({ kind: 'tcp', ...common, host: '127.0.0.1', port: Number(new URL(base).port) });
  checks.database = schema.parse({ kind: 'postgres', ...common, url: '${PG_URL}' });
  checks.redis = schema.parse({ kind: 'redis', ...common, url: '${RD_URL}' });
  checks.script = schema.parse({ kind: 'command', ...common, argv: [process.execPath, '-e', 'console.log("ok")'] });
  checks.metrics = schema.parse({
    kind: 'metrics',
    ...common,
    url: `${base}/health`,
    thresholds: [{ name: 'absent', series: 'up', op: '==', value: 1 }],
  });
  for (let i = 0; i < HUNG; i++)
    checks[`hung-${i}`] = schema.parse({ kind: 'http', retries: 0, timeout: `${HUNG_TIMEOUT}ms`, url: `${base}/hang` });
  return checks;
}

describe('running a group', () => {
  it('runs every check side by side: hung targets cost one timeout, not the sum', async () => {
    const checks = twenty();
    const group = { checks: Object.keys(checks), open_after_failures: 3, title: 'Everything' };
    const target = resolveTarget({ checks, groups: { everything: group } }, 'everything')!;
    expect(target.checks).toHaveLength(22);

    const results = await runChecks(target.checks);

    // Side by side, seen from the target rather than a stopwatch: all hung requests were open at once (one
    // after another, each would have given up before the next arrived).
    expect(mostHangingAtOnce).toBe(HUNG);
    expect(results.map((r) => r.name)).toEqual(Object.keys(checks));
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    for (let i = 0; i < HUNG; i++)
      expect(byName[`hung-${i}`]).toMatchObject({ status: 'fail', failure: 'no answer within 5s' });
    // A JSON body is not the Prometheus text format: a real failure, reported as one.
    expect(byName.metrics!.status).toBe('fail');
    const others = results.filter((r) => !r.name.startsWith('hung-') && r.name !== 'metrics');
    expect(others.filter((r) => r.status === 'fail').map((r) => `${r.name}: ${r.failure}`)).toEqual([]);
    expect(overallStatus(results)).toBe('fail');
    expect(overallStatus(others)).not.toBe('fail');
  });

  it('answers for every check of the shipped example, whatever is (not) running here', async () => {
    const { config } = await loadConfigFile(exampleConfigPath, {}, { isExample: true });
    // Short timeouts and no retries: the point is that each answers, not what it finds (nor how fast: the
    // test's own time limit says "answers").
    const all = resolveTarget(config)!.checks.map(({ name, config: c }) => ({
      name,
      config: { ...c, timeout: 1_000, retries: 0 },
    }));
    const results = await runChecks(all);
    expect(results.map((r) => r.name)).toEqual(Object.keys(config.checks));
    for (const result of results) {
      expect(['pass', 'degraded', 'fail']).toContain(result.status);
      if (result.status !== 'pass') expect(result.failure, result.name).toBeTruthy();
    }
    expect(results.find((r) => r.name === 'salesforce-token')!.failure).toBe(
      'token states are not available to this check run',
    );
  });

  it('answers an empty list for no checks', async () => {
    expect(await runChecks([])).toEqual([]);
  });
});
