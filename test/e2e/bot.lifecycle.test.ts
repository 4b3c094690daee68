import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../src/bot.js';
import { systemClock } from '../../src/clock.js';
import { configSchema } from '../../src/config/schema.js';
import { InProcessCoordinator } from '../../src/coord/memory.js';
import { RedisCoordinator } from '../../src/coord/redis.js';
import { SlackEmulator } from '../../src/playground/emulator/index.js';
import { until } from '../support/wait.js';
import { silentLogger } from '../../src/log.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { type Harness, startHarness } from '../support/harness.js';

describe('health endpoints', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('says the process is alive on /healthz and ready on /readyz when PostgreSQL, Redis and Slack answer', async () => {
    expect(await (await fetch(`${h.bot.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${h.bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok', redis: 'ok', slack: 'ok' });
  });

  it('serves Prometheus metrics, counting Slack requests', async () => {
    await h.slack.sendCommand({ text: 'help' });
    const text = await (await fetch(`${h.bot.url}/metrics`)).text();
    expect(text).toMatch(/incidentbot_slack_requests_total\{type="command",outcome="answered"\} 1/);
    expect(text).toContain('incidentbot_ack_seconds_bucket');
  });

  it('counts each timeline event once, after its transaction committed, whoever wrote it', async () => {
    const { channel, ts } = await h.open('auth-401 counted');
    await h.slack.click({ user: 'U0ONCALL01', channel, ts, actionId: 'step.done.3' });
    await h.slack.click({ user: 'U0ONCALL01', channel, ts, actionId: 'step.done.3' });
    await h.settle();
    const text = await (await fetch(`${h.bot.url}/metrics`)).text();
    expect(text).toMatch(/incidentbot_timeline_events_total\{kind="incident\.opened"\} 1\n/);
    expect(text).toMatch(/incidentbot_timeline_events_total\{kind="incident\.placed"\} 1\n/);
    expect(text).toMatch(/incidentbot_timeline_events_total\{kind="step\.done"\} 1\n/);
    const { rows } = await h.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM timeline_events WHERE kind = 'step.done'`,
    );
    expect(Number(rows[0]?.n)).toBe(1);
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
      // Which dependency, never its error text (which names hosts and ports).
      const text = await ready.text();
      expect(JSON.parse(text)).toEqual({ status: 'not_ready', database: 'ok', redis: 'down' });
      expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|error/i);
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    } finally {
      await bot.stop();
      await coord.close();
    }
  });
});

describe('readiness follows Slack', () => {
  let database: TestDatabase;
  let slack: SlackEmulator;
  const parts = () => ({
    config: configSchema({}).parse({}),
    playbooks: [],
    db: database.db,
    coord: new InProcessCoordinator(),
    clock: systemClock,
    log: silentLogger,
    host: '127.0.0.1',
    scheduler: false,
  });
  const readiness = async (url: string) => {
    const answer = await fetch(`${url}/readyz`);
    return { status: answer.status, body: (await answer.json()) as Record<string, string> };
  };
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('HTTP mode: 503 with slack "down" while auth.test fails, ready again once it passes', async () => {
    slack = await SlackEmulator.start();
    const bot = await startBot({
      ...parts(),
      env: {
        PORT: 0,
        slack: { mode: 'http', botToken: slack.botToken, signingSecret: slack.signingSecret, apiUrl: slack.apiUrl },
      },
      slackCheckMs: 20,
    });
    try {
      expect(await readiness(bot.url)).toEqual({
        status: 200,
        body: { status: 'ready', database: 'ok', redis: 'ok', slack: 'ok' },
      });
      // 50 failed checks in a row: down long enough to be seen, then up again with no one clearing anything.
      slack.failNext('auth.test', 'invalid_auth', 50);
      const down = await until(async () => {
        const r = await readiness(bot.url);
        return r.status === 503 && r;
      });
      expect(down.body).toEqual({ status: 'not_ready', database: 'ok', redis: 'ok', slack: 'down' });
      expect(JSON.stringify(down.body)).not.toContain('invalid_auth');
      await until(async () => (await readiness(bot.url)).status === 200, { what: 'ready again' });
    } finally {
      await bot.stop();
      await slack.close();
    }
  });

  it('Socket Mode: 503 with slack "down" once the socket is gone', async () => {
    slack = await SlackEmulator.start();
    slack.useSocketMode();
    const bot = await startBot({
      ...parts(),
      env: {
        PORT: 0,
        slack: { mode: 'socket', botToken: slack.botToken, appToken: slack.appToken, apiUrl: slack.apiUrl },
      },
    });
    try {
      await slack.waitForSocket();
      expect((await readiness(bot.url)).body).toMatchObject({ status: 'ready', slack: 'ok' });
      await slack.close();
      const down = await until(async () => {
        const r = await readiness(bot.url);
        return r.status === 503 && r;
      });
      expect(down.body).toEqual({ status: 'not_ready', database: 'ok', redis: 'ok', slack: 'down' });
    } finally {
      await bot.stop();
    }
  });
});

describe('metrics behind a token or on their own port', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(() => database.drop());

  const launch = (metrics: { port?: number; token?: string }) =>
    startBot({
      env: { PORT: 0, slack: { mode: 'none', apiUrl: 'http://127.0.0.1:1/api/' } },
      config: configSchema({}).parse({}),
      playbooks: [],
      db: database.db,
      coord: new InProcessCoordinator(),
      clock: systemClock,
      log: silentLogger,
      host: '127.0.0.1',
      metrics,
    });

  it('answers /metrics only with Authorization: Bearer <METRICS_TOKEN>', async () => {
    const bot = await launch({ token: 'metrics-token-0123456789' });
    try {
      const refused = await fetch(`${bot.url}/metrics`);
      expect(refused.status).toBe(401);
      expect(await refused.text()).not.toContain('incidentbot_');
      const wrong = await fetch(`${bot.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-01234567' } });
      expect(wrong.status).toBe(401);
      const ok = await fetch(`${bot.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('incidentbot_');
    } finally {
      await bot.stop();
    }
  });

  it('serves /metrics on METRICS_PORT and not on PORT', async () => {
    const bot = await launch({ port: 0 });
    try {
      expect(bot.metricsUrl).not.toBe(bot.url);
      expect((await fetch(`${bot.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${bot.metricsUrl}/metrics`)).status).toBe(200);
      expect((await fetch(`${bot.metricsUrl}/readyz`)).status).toBe(404);
    } finally {
      await bot.stop();
    }
    await expect(fetch(`${bot.metricsUrl}/metrics`)).rejects.toThrow();
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
