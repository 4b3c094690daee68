import { mkdtemp, writeFile } from 'node:fs/promises';
import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureLogs } from '../support/logs.js';
import { ManualClock } from '../../src/clock.js';
import { envFields } from '../../src/config/fields.js';
import { tokenProviderSchema } from '../../src/config/tokens.js';
import { InProcessCoordinator } from '../../src/coord/memory.js';
import { createMetrics } from '../../src/http/metrics.js';
import { type Logger, silentLogger } from '../../src/log.js';
import { TokenManager, TokenUnavailableError, UnknownProviderError } from '../../src/tokens/index.js';

const CLIENT_ID = 'client-id-3MVG9mgr';
const CLIENT_SECRET = 'client-secret-5c3e8f1a7b';
const MIN = 60_000;

interface Answer {
  status?: number;
  body?: unknown;
}
/** The fake token URL: answers per path, numbers its tokens, and can hold answers until released. */
let answer: (path: string, call: number) => Answer | Promise<Answer>;
const received: string[] = [];
let issued = 0;
const tokenValue = (n: number) => `access-token-${n}-9f8e7d6c5b4a`;
const server = createServer((req: IncomingMessage, res) => {
  req.resume();
  req.on('end', () => {
    received.push(req.url ?? '/');
    void Promise.resolve(answer(req.url ?? '/', received.length)).then((a) => {
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(a.body ?? {}));
    });
  });
});
const standard = (expiresIn = 3600): Answer => ({
  body: { access_token: tokenValue(++issued), token_type: 'Bearer', expires_in: expiresIn },
});
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let clock: ManualClock;
beforeEach(() => {
  received.length = 0;
  answer = () => standard();
  clock = new ManualClock('2026-03-01T12:00:00Z');
});

const fields = envFields({ SF_ID: CLIENT_ID, SF_SECRET: CLIENT_SECRET });
function provider(path: string, extra: Record<string, unknown> = {}) {
  return tokenProviderSchema(fields).parse({
    token_url: `${base}/${path}`,
    client_id: '${SF_ID}',
    client_secret: '${SF_SECRET}',
    ...extra,
  });
}

function manager(
  providers: Record<string, ReturnType<typeof provider>>,
  options: { log?: Logger; coord?: InProcessCoordinator } = {},
) {
  const metrics = createMetrics();
  const tokens = new TokenManager({
    providers,
    coord: options.coord ?? new InProcessCoordinator(() => clock.now().getTime()),
    clock,
    log: options.log ?? silentLogger,
    metrics,
    sleep: async () => undefined,
    random: () => 0.5,
  });
  return { tokens, metrics };
}

describe('TokenManager', () => {
  it('makes one token-URL call for 1,000 concurrent getToken on an empty cache', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    answer = async () => {
      await held;
      return standard();
    };
    const { tokens, metrics } = manager({ sf: provider('sf') });
    const all = Promise.all(Array.from({ length: 1_000 }, () => tokens.getToken('sf')));
    await vi.waitFor(() => expect(received).toHaveLength(1));
    release();
    const values = await all;
    expect(received).toHaveLength(1);
    expect(new Set(values)).toEqual(new Set([tokenValue(issued)]));
    expect(await tokens.getToken('sf')).toBe(tokenValue(issued));
    expect(tokens.state('sf')).toMatchObject({ status: 'valid', cacheMisses: 1_000, cacheHits: 1 });
    const refreshes = await metrics.tokenRefreshes.get();
    expect(refreshes.values).toEqual([{ labels: { provider: 'sf', outcome: 'ok' }, value: 1 }]);
    const lookups = await metrics.tokenCache.get();
    expect(lookups.values).toEqual(
      expect.arrayContaining([
        { labels: { provider: 'sf', result: 'miss' }, value: 1_000 },
        { labels: { provider: 'sf', result: 'hit' }, value: 1 },
      ]),
    );
  });

  it('refreshes on getToken once the token is within the 10-minute buffer', async () => {
    const { tokens } = manager({ sf: provider('sf') });
    const first = await tokens.getToken('sf');
    clock.advance(49 * MIN); // 11 minutes left
    expect(await tokens.getToken('sf')).toBe(first);
    expect(received).toHaveLength(1);
    clock.advance(MIN + 1); // just inside the buffer
    const second = await tokens.getToken('sf');
    expect(second).not.toBe(first);
    expect(received).toHaveLength(2);
  });

  it('refresh() calls the token URL even while the token is valid, once for concurrent callers', async () => {
    const { tokens } = manager({ sf: provider('sf') });
    await tokens.getToken('sf');
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => tokens.refresh('sf')));
    expect(received).toHaveLength(2);
    expect(outcomes.every((o) => o.ok && o.by === 'this-process' && o.attempts === 1)).toBe(true);
    expect(outcomes[0]?.expiresAt).toEqual(new Date(clock.now().getTime() + 3_600_000));
  });

  it('refreshDue refreshes only tokens within the 15-minute window, and missing ones', async () => {
    answer = (path) => standard(path === '/short' ? 1_800 : 3_600);
    const { tokens } = manager({ long: provider('long'), short: provider('short'), cold: provider('cold') });
    await tokens.getToken('long');
    await tokens.getToken('short');
    clock.advance(14 * MIN); // short: 16 minutes left, long: 46
    received.length = 0;
    expect(await tokens.refreshDue()).toEqual([
      expect.objectContaining({ provider: 'cold', ok: true, by: 'this-process' }),
    ]);
    clock.advance(MIN); // short: 15 minutes left
    const outcomes = await tokens.refreshDue();
    expect(outcomes.map((o) => o.provider)).toEqual(['short']);
    expect(received).toEqual(['/cold', '/short']);
  });

  it('reports valid, expiring (alert at 20 minutes), expired (inside the buffer) and missing', async () => {
    const { tokens } = manager({ sf: provider('sf', { title: 'Salesforce Models API' }), other: provider('other') });
    expect(tokens.state('sf')).toEqual({
      provider: 'sf',
      title: 'Salesforce Models API',
      status: 'missing',
      cacheHits: 0,
      cacheMisses: 0,
    });
    await tokens.getToken('sf');
    const obtainedAt = clock.now();
    expect(tokens.state('sf')).toMatchObject({
      status: 'valid',
      obtainedAt,
      lastRefreshAt: obtainedAt,
      expiresAt: new Date(obtainedAt.getTime() + 3_600_000),
      ageMs: 0,
    });
    clock.advance(40 * MIN);
    expect(tokens.state('sf')).toMatchObject({ status: 'expiring', ageMs: 40 * MIN });
    clock.advance(10 * MIN);
    expect(tokens.state('sf')?.status).toBe('expired');
    const states = await tokens.states();
    expect(states.map((s) => [s.provider, s.status])).toEqual([
      ['sf', 'expired'],
      ['other', 'missing'],
    ]);
    expect(tokens.state('nope')).toBeUndefined();
  });

  it('keeps the last error as a sentence and clears it on the next success', async () => {
    answer = () => ({ status: 401, body: { error: 'invalid_client' } });
    const { tokens } = manager({ sf: provider('sf') });
    await expect(tokens.getToken('sf')).rejects.toThrow(
      new TokenUnavailableError('sf', 'the token URL refused the client credentials (401 invalid_client)'),
    );
    expect(tokens.state('sf')).toMatchObject({
      status: 'missing',
      lastError: 'the token URL refused the client credentials (401 invalid_client)',
      lastRefreshAt: clock.now(),
    });
    answer = () => standard();
    expect((await tokens.refresh('sf')).ok).toBe(true);
    expect(tokens.state('sf')?.lastError).toBeUndefined();
  });

  it('fails a provider whose secret is not set without calling the URL', async () => {
    const lenient = tokenProviderSchema(envFields({ SALESFORCE_CLIENT_ID: 'id' }, { lenient: true }));
    const sf = lenient.parse({
      token_url: `${base}/sf`,
      client_id: '${SALESFORCE_CLIENT_ID}',
      client_secret: '${SALESFORCE_CLIENT_SECRET}',
    });
    const { tokens } = manager({ sf });
    expect(await tokens.refresh('sf')).toMatchObject({
      ok: false,
      attempts: 0,
      error: 'not configured: set SALESFORCE_CLIENT_SECRET in the environment',
    });
    await expect(tokens.getToken('sf')).rejects.toThrow(
      'not configured: set SALESFORCE_CLIENT_SECRET in the environment',
    );
    expect(received).toHaveLength(0);
  });

  it('names the known providers when asked for an unknown one', async () => {
    const { tokens } = manager({ salesforce: provider('sf') });
    const error = await tokens.getToken('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownProviderError);
    expect(error).toMatchObject({ provider: 'nope', known: ['salesforce'], code: 'not_found' });
    await expect(tokens.refresh('nope')).rejects.toThrow('the configured ones are: salesforce');
    expect(tokens.providers()).toEqual(['salesforce']);
  });

  it('fails the outcome when the sink fails, naming it, but keeps the token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tokens-sink-'));
    await writeFile(join(dir, 'blocker'), 'a file where a directory should be');
    const path = join(dir, 'blocker', 'salesforce.json');
    const { tokens, metrics } = manager({ sf: provider('sf', { sink: { kind: 'file', path } }) });
    const outcome = await tokens.refresh('sf');
    expect(outcome).toMatchObject({
      ok: false,
      by: 'this-process',
      attempts: 1,
      expiresAt: new Date(clock.now().getTime() + 3_600_000),
      error: `the token was refreshed, but the file sink could not write ${path} (EEXIST)`,
    });
    expect(await tokens.getToken('sf')).toBe(tokenValue(issued));
    expect(received).toHaveLength(1);
    expect(tokens.state('sf')).toMatchObject({ status: 'valid', lastError: outcome.error });
    expect((await metrics.tokenRefreshes.get()).values).toEqual([
      { labels: { provider: 'sf', outcome: 'failed' }, value: 1 },
    ]);
  });

  it('waits for a refresh under way elsewhere and shares its token', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    answer = async () => {
      await held;
      return standard();
    };
    const coord = new InProcessCoordinator(() => clock.now().getTime());
    const a = manager({ sf: provider('sf') }, { coord });
    const b = manager({ sf: provider('sf') }, { coord });
    const first = a.tokens.refresh('sf');
    await vi.waitFor(() => expect(received).toHaveLength(1));
    const second = b.tokens.refresh('sf');
    release();
    expect(await first).toMatchObject({ ok: true, by: 'this-process', attempts: 1 });
    expect(await second).toMatchObject({ ok: true, by: 'another-replica', attempts: 0 });
    expect(received).toHaveLength(1);
    expect((await b.metrics.tokenRefreshes.get()).values).toEqual([
      { labels: { provider: 'sf', outcome: 'shared' }, value: 1 },
    ]);
  });

  it('refreshes itself when the lock comes free without a new token (the holder failed or died)', async () => {
    const coord = new InProcessCoordinator(() => clock.now().getTime());
    const tryLock = vi.spyOn(coord, 'tryLock');
    const { tokens } = manager({ sf: provider('sf') }, { coord });
    const foreign = await coord.tryLock('token:sf', 60_000);
    const pending = tokens.refresh('sf');
    // The test's, the manager's first, one more while it waits.
    await vi.waitFor(() => expect(tryLock.mock.calls.length).toBeGreaterThanOrEqual(3));
    expect(received).toHaveLength(0);
    await foreign?.release();
    expect(await pending).toMatchObject({ ok: true, by: 'this-process', attempts: 1 });
    expect(received).toHaveLength(1);
  });

  it('stops a refresh under way on close', async () => {
    answer = () => new Promise<Answer>(() => undefined);
    const { tokens } = manager({ sf: provider('sf') });
    const pending = tokens.refresh('sf');
    await vi.waitFor(() => expect(received).toHaveLength(1));
    await tokens.close();
    expect(await pending).toMatchObject({
      ok: false,
      attempts: 1,
      error: 'the token manager stopped before the token URL answered',
    });
    server.closeAllConnections();
  });

  it('never writes a token or the client secret to a log line, an outcome, a state or an error', async () => {
    const { log, text } = captureLogs();
    const dir = await mkdtemp(join(tmpdir(), 'tokens-leak-'));
    await writeFile(join(dir, 'blocker'), '');
    const { tokens } = manager(
      { sf: provider('sf'), sunk: provider('sunk', { sink: { kind: 'file', path: join(dir, 'blocker', 'x.json') } }) },
      { log },
    );
    const seen: unknown[] = [];
    const firstIssued = issued + 1;
    answer = (_path, call) =>
      call === 1 ? { status: 500, body: { error: 'server_error', echo: CLIENT_SECRET } } : standard();
    seen.push(
      await tokens.refresh('sf'),
      await tokens.getToken('sf').then(() => 'got it'),
      await tokens.refresh('sunk'),
    );
    answer = () => ({
      status: 401,
      body: { error: 'invalid_client', error_description: `secret ${CLIENT_SECRET} is wrong` },
    });
    seen.push(await tokens.refresh('sf'));
    seen.push(await tokens.states(), tokens.state('sf'), tokens.state('sunk'));
    answer = () => ({ status: 400, body: `${CLIENT_SECRET}` });
    seen.push(await tokens.refresh('sf'));
    clock.advance(2 * 3_600_000);
    seen.push(await tokens.getToken('sf').catch((e: Error) => ({ message: e.message, stack: e.stack })));
    const everything = `${text()}\n${JSON.stringify(seen)}`;
    expect(text()).toContain('token refreshed');
    expect(text()).toContain('retrying');
    expect(text()).toContain('token refresh failed');
    for (let n = firstIssued; n <= issued; n++) expect(everything).not.toContain(tokenValue(n));
    expect(everything).not.toContain(CLIENT_SECRET);
    expect(everything).not.toContain('access-token-');
  });
});
