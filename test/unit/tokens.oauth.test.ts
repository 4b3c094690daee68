import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { envFields } from '../../src/config/fields.js';
import { tokenProviderSchema } from '../../src/config/tokens.js';
import { requestToken } from '../../src/tokens/index.js';

const CLIENT_ID = 'client-id-3MVG9abc';
const CLIENT_SECRET = 'client-secret-7d1f0e9a2b';
const ACCESS_TOKEN = '00Dxx0000001gPL!AR8AQJXg.access-token-value';

interface Answer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  never?: boolean;
}
interface Received {
  path: string;
  form: URLSearchParams;
  authorization?: string;
  contentType?: string;
}

let answer: (call: number) => Answer = () => ({ body: { access_token: ACCESS_TOKEN, expires_in: 3600 } });
const received: Received[] = [];
const server = createServer((req: IncomingMessage, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    received.push({
      path: req.url ?? '/',
      form: new URLSearchParams(body),
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
    });
    const a = answer(received.length);
    if (a.never) return;
    res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
    res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {}));
  });
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/oauth2/token`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  received.length = 0;
});

const fields = envFields({ SF_ID: CLIENT_ID, SF_SECRET: CLIENT_SECRET });
function provider(extra: Record<string, unknown> = {}) {
  return tokenProviderSchema(fields).parse({
    token_url: url,
    client_id: '${SF_ID}',
    client_secret: '${SF_SECRET}',
    ...extra,
  });
}

const clock = new ManualClock('2026-03-01T12:00:00Z');
function deps() {
  const sleeps: number[] = [];
  return {
    sleeps,
    fetch: globalThis.fetch,
    clock,
    random: () => 0.5,
    sleep: async (ms: number) => void sleeps.push(ms),
  };
}

describe('requestToken', () => {
  it('sends the credentials as form fields and reads a Salesforce answer (issued_at, no expires_in)', async () => {
    const issuedAt = clock.now().getTime() - 60_000;
    answer = () => ({
      body: {
        access_token: ACCESS_TOKEN,
        instance_url: 'https://example-org.my.salesforce.com',
        id: 'https://login.salesforce.com/id/00D/005',
        token_type: 'Bearer',
        issued_at: String(issuedAt),
        signature: 'c2lnbmF0dXJl',
      },
    });
    const result = await requestToken(provider({ lifetime: '2h' }), deps());
    expect(result).toEqual({
      ok: true,
      attempts: 1,
      token: {
        accessToken: ACCESS_TOKEN,
        tokenType: 'Bearer',
        instanceUrl: 'https://example-org.my.salesforce.com',
        issuedAt: new Date(issuedAt),
        expiresAt: new Date(issuedAt + 2 * 3_600_000),
      },
    });
    const [request] = received;
    expect(request?.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(request!.form)).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(request?.authorization).toBeUndefined();
  });

  it('uses HTTP Basic with auth_style basic, sends the scope, and honours expires_in', async () => {
    answer = () => ({ body: { access_token: ACCESS_TOKEN, token_type: 'bearer', expires_in: '1800' } });
    const result = await requestToken(provider({ auth_style: 'basic', scope: 'api refresh' }), deps());
    expect(result.ok && result.token.expiresAt).toEqual(new Date(clock.now().getTime() + 1_800_000));
    const [request] = received;
    expect(Object.fromEntries(request!.form)).toEqual({ grant_type: 'client_credentials', scope: 'api refresh' });
    const [scheme, encoded] = (request?.authorization ?? '').split(' ');
    expect(scheme).toBe('Basic');
    expect(Buffer.from(encoded!, 'base64').toString()).toBe(`${CLIENT_ID}:${CLIENT_SECRET}`);
  });

  it('never trusts an issued_at later than its own clock', async () => {
    answer = () => ({ body: { access_token: ACCESS_TOKEN, issued_at: String(clock.now().getTime() + 3_600_000) } });
    const result = await requestToken(provider({ lifetime: '1h' }), deps());
    expect(result.ok && result.token.expiresAt).toEqual(new Date(clock.now().getTime() + 3_600_000));
  });

  it('retries 500s with exponential backoff and jitter, then succeeds', async () => {
    answer = (call) =>
      call <= 2
        ? { status: 500, body: { error: 'server_error' } }
        : { body: { access_token: ACCESS_TOKEN, expires_in: 3600 } };
    const d = deps();
    const result = await requestToken(provider({ backoff: { initial: '1s', factor: 2, max: '30s', jitter: true } }), d);
    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(received).toHaveLength(3);
    // random() = 0.5 draws each wait at three quarters of 1 s, then of 2 s.
    expect(d.sleeps).toEqual([750, 1_500]);
  });

  it('gives up after `retries` more attempts and says how many it made', async () => {
    answer = () => ({ status: 503 });
    const d = deps();
    const result = await requestToken(
      provider({ retries: 3, backoff: { initial: '1s', factor: 2, max: '3s', jitter: false } }),
      d,
    );
    expect(result).toEqual({ ok: false, attempts: 4, error: 'the token URL answered 503 (4 attempts)' });
    expect(d.sleeps).toEqual([1_000, 2_000, 3_000]);
  });

  it('waits as long as a 429 Retry-After asks, up to the longest backoff', async () => {
    answer = (call) =>
      call === 1 ? { status: 429, headers: { 'retry-after': '5' } } : { body: { access_token: ACCESS_TOKEN } };
    const d = deps();
    await requestToken(provider({ backoff: { initial: '1s', max: '30s', jitter: false } }), d);
    expect(d.sleeps).toEqual([5_000]);
  });

  it('fails at once on 401: bad credentials are not retried, and the reply echoing them is not repeated', async () => {
    answer = () => ({
      status: 401,
      body: { error: 'invalid_client', error_description: `bad secret ${CLIENT_SECRET}` },
    });
    const d = deps();
    const result = await requestToken(provider(), d);
    expect(result).toEqual({
      ok: false,
      attempts: 1,
      error: 'the token URL refused the client credentials (401 invalid_client)',
    });
    expect(received).toHaveLength(1);
    expect(d.sleeps).toEqual([]);
  });

  it('fails at once on 400: a credential error, or another rejected request', async () => {
    answer = () => ({
      status: 400,
      body: { error: 'invalid_client_id', error_description: 'client identifier invalid' },
    });
    expect(await requestToken(provider(), deps())).toMatchObject({
      attempts: 1,
      error: 'the token URL refused the client credentials (400 invalid_client_id)',
    });
    answer = () => ({ status: 400, body: { error: 'unsupported_grant_type' } });
    expect(await requestToken(provider(), deps())).toMatchObject({
      attempts: 1,
      error: 'the token URL rejected the token request (400 unsupported_grant_type)',
    });
  });

  it('fails at once on a 200 without an access_token or without JSON', async () => {
    answer = () => ({ body: { token: 'nope' } });
    expect(await requestToken(provider(), deps())).toEqual({
      ok: false,
      attempts: 1,
      error: 'the token URL answered without an access_token',
    });
    answer = () => ({ body: '<html>login</html>' });
    expect(await requestToken(provider(), deps())).toEqual({
      ok: false,
      attempts: 1,
      error: 'the token URL answered, but not with JSON',
    });
  });

  it('times each attempt out and retries', async () => {
    answer = () => ({ never: true });
    const d = deps();
    const result = await requestToken(provider({ timeout: '50ms', retries: 1 }), d);
    expect(result).toEqual({ ok: false, attempts: 2, error: 'the token URL did not answer within 50 ms (2 attempts)' });
    expect(d.sleeps).toHaveLength(1);
  });

  it('retries when the token URL cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await requestToken(provider({ token_url: `http://127.0.0.1:${port}/token`, retries: 2 }), deps());
    expect(result).toEqual({
      ok: false,
      attempts: 3,
      error: 'could not reach the token URL (ECONNREFUSED) (3 attempts)',
    });
  });

  it('never calls the URL when a credential is not configured', async () => {
    const lenient = tokenProviderSchema(envFields({}, { lenient: true })).parse({
      token_url: url,
      client_id: '${SALESFORCE_CLIENT_ID}',
      client_secret: '${SALESFORCE_CLIENT_SECRET}',
    });
    expect(await requestToken(lenient, deps())).toEqual({
      ok: false,
      attempts: 0,
      error: 'not configured: set SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET in the environment',
    });
    expect(received).toHaveLength(0);
  });
});
