import { type Server, type Socket, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCheck } from '../../src/checks/index.js';
import { checkSchema } from '../../src/config/checks.js';
import { envFields } from '../../src/config/fields.js';
import { DATABASE_URL, REDIS_URL } from '../support/env.js';

const schema = checkSchema(envFields({ PG_URL: DATABASE_URL, RD_URL: REDIS_URL }, { lenient: true }));
const check = (input: Record<string, unknown>) => schema.parse({ retries: 0, ...input });

/** A server that accepts connections and never says a word: the worst kind of down. */
let hungServer: Server;
let hungPort: number;
let closedPort: number;
const sockets: Socket[] = [];

beforeAll(async () => {
  hungServer = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => hungServer.listen(0, '127.0.0.1', resolve));
  hungPort = (hungServer.address() as AddressInfo).port;
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
  closedPort = (spare.address() as AddressInfo).port;
  await new Promise((resolve) => spare.close(resolve));
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => hungServer.close(resolve));
});

/** Runs a check and returns how long it took, for "finished before timeout × 2" bounds. */
async function timed(name: string, config: ReturnType<typeof check>) {
  const started = performance.now();
  const result = await runCheck(name, config);
  return { result, elapsed: performance.now() - started };
}

describe('tcp checks', () => {
  it('pass when the port accepts a connection', async () => {
    const result = await runCheck('port', check({ kind: 'tcp', host: '127.0.0.1', port: hungPort }));
    expect(result.status).toBe('pass');
    expect(result.details[0]).toMatch(new RegExp(`^✓ connected to 127.0.0.1:${hungPort} in \\d+ ms$`));
  });

  it('fail with "connection refused" on a closed port', async () => {
    const result = await runCheck('port', check({ kind: 'tcp', host: '127.0.0.1', port: closedPort }));
    expect(result).toMatchObject({ status: 'fail', failure: `connection refused on 127.0.0.1:${closedPort}` });
  });
});

describe('postgres checks', () => {
  it('pass SELECT 1 against the real database', async () => {
    const result = await runCheck('database', check({ kind: 'postgres', url: '${PG_URL}', latency_budget: '5s' }));
    expect(result).toMatchObject({ status: 'pass', kind: 'postgres', attempts: 1 });
    expect(result.details[0]).toMatch(/^✓ connected to postgres(ql)?:\/\/\S+ in \d+ ms$/);
    expect(result.details[1]).toMatch(/^✓ SELECT 1 → 1 row in \d+ ms$/);
  });

  it('fail a bad role and password without showing the password', async () => {
    const url = new URL(DATABASE_URL);
    url.username = 'no_such_role_ib';
    url.password = 'hunter2-pg-secret';
    const bad = checkSchema(envFields({ BAD_URL: url.toString() })).parse({
      kind: 'postgres',
      retries: 0,
      url: '${BAD_URL}',
    });
    const result = await runCheck('database', bad);
    expect(result.status).toBe('fail');
    expect(result.failure).toMatch(/no_such_role_ib/);
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('stop a query that runs past the timeout, on the server too', async () => {
    const marker = `ib_sleep_${process.pid}`;
    const { result, elapsed } = await timed(
      'slow-query',
      check({ kind: 'postgres', url: '${PG_URL}', query: `SELECT pg_sleep(10) AS ${marker}`, timeout: '300ms' }),
    );
    expect(result.status).toBe('fail');
    expect(result.failure).toBe('no answer within 300 ms');
    expect(result.details[0]).toMatch(/^✓ connected to/);
    expect(elapsed).toBeLessThan(2_000); // the target would hold it for 10 s or more; the margin is for a busy machine
    // The client was ended, so the backend goes away rather than sleeping on for 10 s.
    const observer = new pg.Client({ connectionString: DATABASE_URL });
    await observer.connect();
    try {
      await vi.waitFor(
        async () => {
          const { rows } = await observer.query(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()',
            [`%${marker}%`],
          );
          expect(rows[0].n).toBe(0);
        },
        { timeout: 5_000, interval: 50 },
      );
    } finally {
      await observer.end();
    }
  });

  it('report a failing query with the server message', async () => {
    const result = await runCheck(
      'q',
      check({ kind: 'postgres', url: '${PG_URL}', query: 'SELECT * FROM no_such_table_ib' }),
    );
    expect(result).toMatchObject({ status: 'fail', failure: 'relation "no_such_table_ib" does not exist' });
  });

  it('fail fast on a closed port and within the timeout on a hung one', async () => {
    const closed = await runCheck(
      'pg',
      check({ kind: 'postgres', url: `postgres://postgres@127.0.0.1:${closedPort}/x` }),
    );
    expect(closed.failure).toBe(`connection refused on 127.0.0.1:${closedPort}`);
    const { result, elapsed } = await timed(
      'pg',
      check({ kind: 'postgres', url: `postgres://postgres@127.0.0.1:${hungPort}/x`, timeout: '300ms' }),
    );
    expect(result.status).toBe('fail');
    expect(result.failure).toBe('no answer within 300 ms');
    expect(elapsed).toBeLessThan(2_000); // the target would hold it for 10 s or more; the margin is for a busy machine
  });

  it('say which variable to set when the URL is not configured', async () => {
    const result = await runCheck('pg', check({ kind: 'postgres', url: '${APP_DATABASE_URL_UNSET}' }));
    expect(result).toMatchObject({
      status: 'fail',
      attempts: 1,
      failure: 'not configured: set APP_DATABASE_URL_UNSET in the environment',
    });
  });
});

describe('redis checks', () => {
  it('PING and compare INFO fields; this Redis has no maxmemory, and the failure says so', async () => {
    const result = await runCheck(
      'redis',
      check({
        kind: 'redis',
        url: '${RD_URL}',
        info: [
          { field: 'maxmemory', op: '>', value: 0 },
          { field: 'evicted_keys', op: '==', value: 0 },
        ],
      }),
    );
    expect(result.status).toBe('fail');
    expect(result.failure).toBe('maxmemory is 0, expected > 0');
    expect(result.details[0]).toMatch(/^✓ PING rediss?:\/\/\S+ → PONG in \d+ ms$/);
    expect(result.details.slice(1)).toEqual(['✗ maxmemory is 0, expected > 0', '✓ evicted_keys is 0 (== 0)']);
  });

  it('pass PING alone, and fields that hold', async () => {
    const result = await runCheck(
      'redis',
      check({
        kind: 'redis',
        url: '${RD_URL}',
        info: [
          { field: 'maxmemory', op: '>=', value: 0 },
          { field: 'connected_clients', op: '>', value: 0 },
        ],
      }),
    );
    expect(result.status).toBe('pass');
  });

  it('fail on a field INFO does not have', async () => {
    const result = await runCheck(
      'redis',
      check({ kind: 'redis', url: '${RD_URL}', info: [{ field: 'no_such_field', op: '==', value: 0 }] }),
    );
    expect(result.failure).toBe('INFO has no field no_such_field');
  });

  it('never show a password from the URL', async () => {
    const url = new URL(REDIS_URL);
    url.password = 'hunter2-redis-secret';
    const config = checkSchema(envFields({ R: url.toString() })).parse({ kind: 'redis', retries: 0, url: '${R}' });
    const result = await runCheck('redis', config);
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('fail fast on a closed port and within the timeout on a hung one', async () => {
    const closed = await runCheck('redis', check({ kind: 'redis', url: `redis://127.0.0.1:${closedPort}` }));
    expect(closed.status).toBe('fail');
    expect(closed.failure).toBe(`connection refused on 127.0.0.1:${closedPort}`);
    const { result, elapsed } = await timed(
      'redis',
      check({ kind: 'redis', url: `redis://127.0.0.1:${hungPort}`, timeout: '300ms' }),
    );
    expect(result).toMatchObject({ status: 'fail', failure: 'no answer within 300 ms' });
    expect(elapsed).toBeLessThan(2_000); // the target would hold it for 10 s or more; the margin is for a busy machine
  });
});
