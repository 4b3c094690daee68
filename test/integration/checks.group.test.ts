import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overallStatus, resolveTarget, runChecks } from '../../src/checks/index.js';
import { type CheckConfig, checkSchema } from '../../src/config/checks.js';
import { envFields } from '../../src/config/fields.js';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import { DATABASE_URL, REDIS_URL } from '../support/env.js';

const schema = checkSchema(envFields({ PG_URL: DATABASE_URL, RD_URL: REDIS_URL }));
const TIMEOUT = 1_000;

let server: Server;
let base: string;
const hung: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/hang') return void hung.push(res);
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

/** Twenty checks of every kind that does I/O, one of them against a target that never answers. */
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
  checks.hung = schema.parse({ kind: 'http', ...common, url: `${base}/hang` });
  return checks;
}

describe('running a group', () => {
  it('runs every check side by side: one hung target costs one timeout, not the sum', async () => {
    const checks = twenty();
    const group = { checks: Object.keys(checks), open_after_failures: 3, title: 'Everything' };
    const target = resolveTarget({ checks, groups: { everything: group } }, 'everything')!;
    expect(target.checks).toHaveLength(20);

    const started = performance.now();
    const results = await runChecks(target.checks);
    const elapsed = performance.now() - started;

    expect(elapsed).toBeLessThan(TIMEOUT * 2);
    expect(results.map((r) => r.name)).toEqual(Object.keys(checks));
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(byName.hung).toMatchObject({ status: 'fail', failure: 'no answer within 1s' });
    // A JSON body is not the Prometheus text format: a real failure, reported as one.
    expect(byName.metrics!.status).toBe('fail');
    const others = results.filter((r) => r.name !== 'hung' && r.name !== 'metrics');
    expect(others.filter((r) => r.status === 'fail').map((r) => `${r.name}: ${r.failure}`)).toEqual([]);
    expect(overallStatus(results)).toBe('fail');
    expect(overallStatus(others)).not.toBe('fail');
  });

  it('answers for every check of the shipped example, whatever is (not) running here', async () => {
    const { config } = await loadConfigFile(exampleConfigPath, {}, { isExample: true });
    // Short timeouts and no retries: the point is that each answers, not what it finds.
    const all = resolveTarget(config)!.checks.map(({ name, config: c }) => ({
      name,
      config: { ...c, timeout: TIMEOUT, retries: 0 },
    }));
    const started = performance.now();
    const results = await runChecks(all);
    expect(performance.now() - started).toBeLessThan(TIMEOUT * 2);
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
