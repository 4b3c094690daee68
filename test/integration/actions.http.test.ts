import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ActionConfig, actionSchema } from '../../src/config/actions.js';
import { envFields } from '../../src/config/fields.js';
import { ActionInputError, runAction } from '../../src/actions/index.js';

const TOKEN = 'tok-8e2f4a6c1d9b';
interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
const requests: Recorded[] = [];
const hung: ServerResponse[] = [];
let server: Server;
let base: string;

function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
  requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/deployments/rollback') {
    res
      .writeHead(202, { 'content-type': 'application/json' })
      .end(JSON.stringify({ rollback: 'started', echo: JSON.parse(body || '{}') }));
  } else if (path === '/fail') {
    res.writeHead(500).end(`upstream broke; you sent authorization: ${req.headers.authorization ?? ''} and ${TOKEN}`);
  } else if (path === '/big') {
    res.writeHead(200).end('y'.repeat(20_000));
  } else if (path === '/moved') {
    res.writeHead(302, { location: '/deployments/rollback' }).end();
  } else if (path === '/hang') {
    hung.push(res);
  } else {
    res.writeHead(404).end('no such endpoint');
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  requests.length = 0;
});

const env = { DEPLOY_API_TOKEN: TOKEN };
const http = (raw: Record<string, unknown>, e: Record<string, string> = env): ActionConfig =>
  actionSchema(envFields(e, { lenient: true })).parse({
    kind: 'http',
    title: 'Roll back',
    allowed: {},
    headers: { Authorization: 'Bearer ${DEPLOY_API_TOKEN}' },
    ...raw,
  });
const rollback = (e: Record<string, string> = env) =>
  http(
    {
      url: `${base}/deployments/rollback`,
      body: '{"service": "webhook", "reason": "incident {incident.key}", "requested_by": "{requester}"}',
    },
    e,
  );
const values = { 'incident.key': 'INC-7', requester: 'U0ONCALL01' };
const noSecret = (value: unknown) => expect(JSON.stringify(value)).not.toContain(TOKEN);

describe('runAction for an HTTP request', () => {
  it('sends the request with the credential and the filled JSON body, and succeeds on an expected status', async () => {
    const hostile = 'U1", "admin": true, "x": "$(touch /tmp/x)\\';
    const result = await runAction(rollback(), { ...values, requester: hostile }, { dryRun: false });
    expect(result).toMatchObject({ outcome: 'succeeded', status: 202, summary: `POST ${base}/deployments/rollback` });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: '/deployments/rollback',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    });
    expect(JSON.parse(requests[0]!.body)).toEqual({
      service: 'webhook',
      reason: 'incident INC-7',
      requested_by: hostile,
    });
    expect(JSON.parse(result.output)).toMatchObject({ rollback: 'started' });
    noSecret(result);
  });

  it('sends nothing on a dry run', async () => {
    const result = await runAction(rollback(), values, { dryRun: true });
    expect(result).toEqual({
      outcome: 'dry_run',
      summary: `POST ${base}/deployments/rollback`,
      output: '',
      durationMs: 0,
    });
    expect(requests).toEqual([]);
  });

  it('fails on an unexpected status, keeping the body with secrets scrubbed', async () => {
    const result = await runAction(http({ url: `${base}/fail` }), {}, { dryRun: false });
    expect(result).toMatchObject({
      outcome: 'failed',
      status: 500,
      error: 'The server answered 500; the action expects 200, 201, 202, 204.',
    });
    expect(result.output).toBe('upstream broke; you sent authorization: [redacted] and [redacted]');
    noSecret(result);
  });

  it('takes expect_status as one number or a list', async () => {
    expect(
      await runAction(http({ url: `${base}/deployments/rollback`, expect_status: 200 }), {}, { dryRun: false }),
    ).toMatchObject({ outcome: 'failed', status: 202 });
    expect(
      await runAction(http({ url: `${base}/nowhere`, expect_status: [404] }), {}, { dryRun: false }),
    ).toMatchObject({ outcome: 'succeeded', status: 404 });
  });

  it('does not follow redirects', async () => {
    const result = await runAction(http({ url: `${base}/moved` }), {}, { dryRun: false });
    expect(result).toMatchObject({
      outcome: 'failed',
      status: 302,
      error: expect.stringContaining('redirects are not followed'),
    });
    expect(requests.map((r) => r.url)).toEqual(['/moved']);
  });

  it('times out a request that hangs', async () => {
    const result = await runAction(http({ url: `${base}/hang`, timeout: '200ms' }), {}, { dryRun: false });
    expect(result).toMatchObject({
      outcome: 'timed_out',
      error: 'The request did not finish within 200 ms and was cancelled.',
    });
    expect(requests).toHaveLength(1);
  });

  it('cuts a long response body', async () => {
    const result = await runAction(http({ url: `${base}/big` }), {}, { dryRun: false });
    expect(result.outcome).toBe('succeeded');
    expect(result.output).toBe(`${'y'.repeat(4000)}\n… response cut at 4000 characters`);
  });

  it('fails without sending anything when a credential was never configured', async () => {
    const result = await runAction(rollback({}), values, { dryRun: false });
    expect(result).toMatchObject({
      outcome: 'failed',
      error: 'not configured: set DEPLOY_API_TOKEN in the environment',
    });
    expect(requests).toEqual([]);
  });

  it('fails with a sentence when the server cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await runAction(http({ url: `http://127.0.0.1:${port}/x` }), {}, { dryRun: false });
    expect(result).toMatchObject({
      outcome: 'failed',
      error: `The request to 127.0.0.1:${port} failed: ECONNREFUSED.`,
    });
  });

  it('URL-encodes placeholder values into the path and query', async () => {
    const config = http({ url: `${base}/deployments/rollback?incident={incident.key}&by={requester}` });
    const result = await runAction(config, { 'incident.key': 'INC-7&admin=1', requester: '../x y' }, { dryRun: false });
    expect(result.outcome).toBe('succeeded');
    expect(requests[0]!.url).toBe('/deployments/rollback?incident=INC-7%26admin%3D1&by=..%2Fx%20y');
  });

  it('rejects a refused value before sending anything', async () => {
    await expect(
      runAction(rollback(), { ...values, requester: 'U1\nX-Injected: 1' }, { dryRun: false }),
    ).rejects.toBeInstanceOf(ActionInputError);
    expect(requests).toEqual([]);
  });
});
