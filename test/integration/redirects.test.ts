import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checks/index.js';
import { ManualClock } from '../../src/clock.js';
import { checkSchema } from '../../src/config/checks.js';
import { envFields } from '../../src/config/fields.js';
import { Secret } from '../../src/config/secret.js';
import { tokenProviderSchema } from '../../src/config/tokens.js';
import { requestToken, writeSink } from '../../src/tokens/index.js';

/**
 * Requests that carry credentials (the OAuth token request, the http token sink, an HTTP check with headers)
 * never follow a redirect to another origin: a server answering 302/307 cannot hand the client secret, the
 * token or an API key to another host. Two local servers are two origins (another port is another origin).
 */

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A server that records what it received and answers by path: `/to/<url>` redirects there with `?status=`. */
function recorder(): { server: Server; seen: Seen[]; base: () => string } {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });
      const target = url.searchParams.get('to');
      if (target) {
        res.writeHead(Number(url.searchParams.get('status') ?? 307), { location: target }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: 'tok-from-the-right-place', expires_in: 3600, status: 'ok' }));
    });
  });
  return { server, seen, base: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const home = recorder();
const elsewhere = recorder();

beforeAll(async () => {
  for (const { server } of [home, elsewhere])
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const { server } of [home, elsewhere]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
afterEach(() => {
  home.seen.length = 0;
  elsewhere.seen.length = 0;
});

const CLIENT_SECRET = 'client-secret-never-elsewhere';
const provider = (tokenUrl: string) =>
  tokenProviderSchema(envFields({ ID: 'client-id', SECRET: CLIENT_SECRET })).parse({
    token_url: tokenUrl,
    client_id: '${ID}',
    client_secret: '${SECRET}',
    retries: 0,
  });
const tokenDeps = {
  fetch: globalThis.fetch,
  clock: new ManualClock('2026-03-01T12:00:00Z'),
  random: () => 0.5,
  sleep: async () => {},
};

describe('the OAuth token request', () => {
  it('does not follow a 307 to another origin: the client secret stays home, and the error says why', async () => {
    const redirect = `${home.base()}/token?status=307&to=${encodeURIComponent(`${elsewhere.base()}/steal`)}`;
    const result = await requestToken(provider(redirect), tokenDeps);
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/redirected to another origin \(http:\/\/127\.0\.0\.1:\d+\); not followed/),
    });
    expect(elsewhere.seen).toEqual([]);
  });

  it('still follows a redirect within its own origin', async () => {
    const redirect = `${home.base()}/old?status=308&to=${encodeURIComponent(`${home.base()}/token`)}`;
    const result = await requestToken(provider(redirect), tokenDeps);
    expect(result).toMatchObject({ ok: true, token: { accessToken: 'tok-from-the-right-place' } });
    expect(home.seen.map((s) => [s.method, s.path])).toEqual([
      ['POST', '/old'],
      ['POST', '/token'],
    ]);
    expect(home.seen[1]?.body).toContain(`client_secret=${CLIENT_SECRET}`);
  });
});

describe('the http token sink', () => {
  const token = {
    id: 'id-1',
    accessToken: 'sink-token-never-elsewhere',
    tokenType: 'Bearer',
    issuedAt: 0,
    expiresAt: 3_600_000,
    obtainedAt: 0,
  };
  it('does not follow a redirect to another origin with the token in its body', async () => {
    const url = `${home.base()}/sink?status=307&to=${encodeURIComponent(`${elsewhere.base()}/steal`)}`;
    await expect(
      writeSink({ kind: 'http', url, method: 'PUT', headers: { 'X-Api-Key': new Secret('sink-key') } }, token, {
        now: new Date(0),
        timeoutMs: 2_000,
        fetch: globalThis.fetch,
      }),
    ).rejects.toThrow(/http sink/);
    expect(elsewhere.seen).toEqual([]);
  });
});

describe('HTTP checks', () => {
  const schema = checkSchema(envFields({ KEY: 'api-key-never-elsewhere' }, { lenient: true }));
  const check = (input: Record<string, unknown>) => schema.parse({ kind: 'http', retries: 0, ...input });

  it('with credentials: a redirect to another origin fails the check instead of sending the key there', async () => {
    const url = `${home.base()}/health?status=302&to=${encodeURIComponent(`${elsewhere.base()}/health`)}`;
    const result = await runCheck('keyed', check({ url, headers: { 'X-Api-Key': '${KEY}' } }));
    expect(result.status).toBe('fail');
    expect(JSON.stringify(result)).toMatch(/another origin/);
    expect(elsewhere.seen).toEqual([]);
  });

  it('with credentials: a redirect within the origin is followed', async () => {
    const url = `${home.base()}/health?status=302&to=${encodeURIComponent(`${home.base()}/ok`)}`;
    const result = await runCheck('keyed', check({ url, headers: { 'X-Api-Key': '${KEY}' } }));
    expect(result.status).toBe('pass');
    expect(home.seen.map((s) => s.headers['x-api-key'])).toEqual([
      'api-key-never-elsewhere',
      'api-key-never-elsewhere',
    ]);
  });

  it('without credentials: redirects are followed anywhere, as before', async () => {
    const url = `${home.base()}/health?status=302&to=${encodeURIComponent(`${elsewhere.base()}/health`)}`;
    expect((await runCheck('open', check({ url }))).status).toBe('pass');
    expect(elsewhere.seen).toHaveLength(1);
  });
});
