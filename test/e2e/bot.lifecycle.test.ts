import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../src/bot.js';
import { systemClock } from '../../src/clock.js';
import { configSchema } from '../../src/config/schema.js';
import { RedisCoordinator } from '../../src/coord/redis.js';
import { silentLogger } from '../../src/log.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { type Harness, startHarness } from '../support/harness.js';

describe('health endpoints', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('says the process is alive on /healthz and ready on /readyz when PostgreSQL and Redis answer', async () => {
    expect(await (await fetch(`${h.bot.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${h.bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      database: { ok: true, kind: 'postgres' },
      redis: { ok: true, kind: 'redis' },
    });
  });

  it('serves Prometheus metrics, counting Slack requests', async () => {
    await h.slack.sendCommand({ text: 'help' });
    const text = await (await fetch(`${h.bot.url}/metrics`)).text();
    expect(text).toMatch(/incidentbot_slack_requests_total\{type="command",outcome="answered"\} 1/);
    expect(text).toContain('incidentbot_ack_seconds_bucket');
  });

  it('answers unknown paths with 404', async () => {
    expect((await fetch(`${h.bot.url}/nope`)).status).toBe(404);
  });
});

describe('readiness without Redis', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(() => database.drop());

  it('answers 503 on /readyz while Redis is unreachable, and keeps /healthz at 200', async () => {
    const coord = new RedisCoordinator({ url: 'redis://127.0.0.1:1', prefix: 'x:', log: silentLogger });
    const bot = await startBot({
      env: { PORT: 0, slack: { mode: 'none', apiUrl: 'http://127.0.0.1:1/api/' } },
      config: configSchema({}).parse({}),
      playbooks: [],
      db: database.db,
      coord,
      clock: systemClock,
      log: silentLogger,
      host: '127.0.0.1',
    });
    try {
      const ready = await fetch(`${bot.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'not_ready', redis: { ok: false } });
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    } finally {
      await bot.stop();
      await coord.close();
    }
  });
});

describe('graceful shutdown', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('finishes the work it acked before stopping, and takes no new requests', async () => {
    const replica = await h.startReplica();
    h.slack.connectBot(`${replica.url}/slack/events`);
    const acked = await h.slack.sendCommand({ text: 'redis-down connections refused' });
    expect(acked.status).toBe(200);
    await replica.stop(); // right after the ack: opening the incident is still under way
    const { rows } = await h.db.query<{ message_ts: string | null }>('SELECT message_ts FROM incidents');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.message_ts).not.toBeNull();
    await expect(fetch(`${replica.url}/healthz`)).rejects.toThrow();
  });
});
