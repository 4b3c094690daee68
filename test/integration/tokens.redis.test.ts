import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { envFields } from '../../src/config/fields.js';
import { tokenProviderSchema } from '../../src/config/tokens.js';
import type { RedisCoordinator } from '../../src/coord/redis.js';
import { silentLogger } from '../../src/log.js';
import { TokenManager } from '../../src/tokens/index.js';
import { REDIS_URL, uniqueName } from '../support/env.js';
import { testCoordinator } from '../support/redis.js';

const MIN = 60_000;
interface Answer {
  status?: number;
  body?: unknown;
}

/** The fake token URL. Answers can be held until the test releases them, so concurrent callers really overlap. */
let answer: () => Answer | Promise<Answer>;
let calls = 0;
let issued = 0;
const tokenValue = (n: number) => `redis-access-token-${n}-1a2b3c`;
const standard = (): Answer => ({
  body: { access_token: tokenValue(++issued), token_type: 'Bearer', expires_in: 3600 },
});
const server = createServer((req: IncomingMessage, res) => {
  req.resume();
  req.on('end', () => {
    calls += 1;
    void Promise.resolve(answer()).then((a) => {
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(a.body ?? {}));
    });
  });
});
let url = '';
const plain = new Redis(REDIS_URL, { lazyConnect: true });
const sinkKeys: string[] = [];

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/oauth2/token`;
  await plain.connect();
});
afterAll(async () => {
  if (sinkKeys.length > 0) await plain.del(...sinkKeys);
  plain.disconnect();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const fields = envFields({ SF_ID: 'redis-client-id', SF_SECRET: 'redis-client-secret', SINK_REDIS: REDIS_URL });
function provider(extra: Record<string, unknown> = {}) {
  return tokenProviderSchema(fields).parse({
    token_url: url,
    client_id: '${SF_ID}',
    client_secret: '${SF_SECRET}',
    ...extra,
  });
}

let clock: ManualClock;
let coords: RedisCoordinator[] = [];
let managers: TokenManager[] = [];
/** Replicas: TokenManagers whose RedisCoordinators share one key prefix, as two bot processes share one Redis. */
async function replicas(
  count: number,
  providers: Record<string, ReturnType<typeof provider>>,
  redisUrl?: string,
): Promise<TokenManager[]> {
  const prefix = `${uniqueName('tokens')}:`;
  const made = Array.from({ length: count }, () => {
    const coord = testCoordinator(prefix);
    coords.push(coord);
    const manager = new TokenManager({
      providers,
      coord,
      clock,
      log: silentLogger,
      sleep: async () => undefined,
      ...(redisUrl ? { redisUrl } : {}),
    });
    managers.push(manager);
    return manager;
  });
  // Until its connection is up a RedisCoordinator falls back to this process: wait, or the replicas would not share.
  await vi.waitFor(async () => expect(await Promise.all(coords.map((c) => c.ping()))).not.toContain(false));
  return made;
}

beforeEach(() => {
  calls = 0;
  answer = standard;
  clock = new ManualClock('2026-03-01T12:00:00Z');
});
afterEach(async () => {
  await Promise.all(managers.map((m) => m.close()));
  await Promise.all(
    coords.map(async (c) => {
      const keys = await c.client.keys(`${c.client.options.keyPrefix ?? ''}*`);
      if (keys.length > 0) await plain.del(...keys);
      await c.close();
    }),
  );
  coords = [];
  managers = [];
});

/** Holds every answer until released; resolves `arrived` when the first request is in. */
function hold() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  answer = async () => {
    await released;
    return standard();
  };
  return release;
}

describe('tokens across replicas', () => {
  it('makes one token-URL call for 50 concurrent refreshes on two replicas', async () => {
    const [a, b] = await replicas(2, { sf: provider() });
    const release = hold();
    const all = Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a! : b!).refresh('sf')));
    await vi.waitFor(() => expect(calls).toBe(1));
    release();
    const outcomes = await all;
    expect(calls).toBe(1);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(new Set(outcomes.map((o) => o.by))).toEqual(new Set(['this-process', 'another-replica']));
    expect(new Set(outcomes.map((o) => o.expiresAt?.getTime()))).toEqual(new Set([clock.now().getTime() + 3_600_000]));
    expect(await a!.getToken('sf')).toBe(tokenValue(issued));
    expect(await b!.getToken('sf')).toBe(tokenValue(issued));
    expect(calls).toBe(1);
  });

  it('makes one token-URL call for 500 concurrent getToken on two replicas with an empty cache', async () => {
    const [a, b] = await replicas(2, { sf: provider() });
    const release = hold();
    const all = Promise.all(Array.from({ length: 500 }, (_, i) => (i % 2 === 0 ? a! : b!).getToken('sf')));
    await vi.waitFor(() => expect(calls).toBe(1));
    release();
    expect(new Set(await all)).toEqual(new Set([tokenValue(issued)]));
    expect(calls).toBe(1);
  });

  it('shows one replica what another refreshed, and its failures', async () => {
    const [a, b] = await replicas(2, { sf: provider() });
    expect((await b!.states())[0]?.status).toBe('missing');
    await a!.refresh('sf');
    expect(b!.state('sf')?.status).toBe('missing'); // the synchronous view is this process's last known state
    expect(await b!.states()).toEqual([
      expect.objectContaining({
        provider: 'sf',
        status: 'valid',
        expiresAt: new Date(clock.now().getTime() + 3_600_000),
        lastRefreshAt: clock.now(),
      }),
    ]);
    expect(b!.state('sf')?.status).toBe('valid');
    clock.advance(MIN);
    answer = () => ({ status: 401, body: { error: 'invalid_client' } });
    await a!.refresh('sf');
    expect((await b!.states())[0]).toMatchObject({
      status: 'valid',
      lastError: 'the token URL refused the client credentials (401 invalid_client)',
      lastRefreshAt: clock.now(),
    });
  });

  it('lets the proactive refresh run once across replicas', async () => {
    const [a, b] = await replicas(2, { sf: provider() });
    await a!.getToken('sf');
    clock.advance(46 * MIN); // 14 minutes left
    const release = hold();
    const both = Promise.all([a!.refreshDue(), b!.refreshDue()]);
    await vi.waitFor(() => expect(calls).toBe(2));
    release();
    const outcomes = (await both).flat();
    expect(calls).toBe(2);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(outcomes.map((o) => o.by).sort()).toEqual(['another-replica', 'this-process']);
  });

  it('writes the token to a redis sink with a TTL until expiry', async () => {
    const key = `${uniqueName('sink')}:salesforce`;
    sinkKeys.push(key);
    const [a] = await replicas(1, { sf: provider({ sink: { kind: 'redis', key, url: '${SINK_REDIS}' } }) });
    expect(await a!.refresh('sf')).toMatchObject({ ok: true });
    expect(JSON.parse((await plain.get(key)) ?? '{}')).toEqual({
      access_token: tokenValue(issued),
      token_type: 'Bearer',
      issued_at: '2026-03-01T12:00:00.000Z',
      expires_at: '2026-03-01T13:00:00.000Z',
    });
    const ttl = await plain.pttl(key);
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
  });

  it("uses the bot's Redis for a redis sink without its own url, and says when there is none", async () => {
    const key = `${uniqueName('sink')}:fallback`;
    sinkKeys.push(key);
    const [a] = await replicas(1, { sf: provider({ sink: { kind: 'redis', key } }) }, REDIS_URL);
    expect(await a!.refresh('sf')).toMatchObject({ ok: true });
    expect(await plain.exists(key)).toBe(1);
    const [lonely] = await replicas(1, { sf: provider({ sink: { kind: 'redis', key } }) });
    expect(await lonely!.refresh('sf')).toMatchObject({
      ok: false,
      error: 'the token was refreshed, but the redis sink has no url and the bot has no Redis (REDIS_URL is not set)',
    });
  });

  it('fails the outcome, naming the key, when the sink Redis is down', async () => {
    const closedFields = envFields({ SF_ID: 'id', SF_SECRET: 'secret', SINK_REDIS: 'redis://127.0.0.1:1' });
    const down = tokenProviderSchema(closedFields).parse({
      token_url: url,
      client_id: '${SF_ID}',
      client_secret: '${SF_SECRET}',
      sink: { kind: 'redis', key: 'tokens:sf', url: '${SINK_REDIS}' },
    });
    const [b] = await replicas(1, { sf: down });
    const outcome = await b!.refresh('sf');
    expect(outcome).toMatchObject({
      ok: false,
      error: 'the token was refreshed, but the redis sink could not store tokens:sf (ECONNREFUSED)',
    });
    expect(await b!.getToken('sf')).toBe(tokenValue(issued));
  });
});
