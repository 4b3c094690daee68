import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBot, startBot } from '../../src/bot.js';
import { systemClock } from '../../src/clock.js';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import type { RedisCoordinator } from '../../src/coord/redis.js';
import { createLogger } from '../../src/log.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import { SlackEmulator } from '../../src/playground/emulator/index.js';
import { type TestDatabase, createTestDatabase } from '../support/db.js';
import { PLAYBOOKS_DIR } from '../support/harness.js';
import { testCoordinator } from '../support/redis.js';

const ADA = 'U0ONCALL01';

/**
 * The bot in Socket Mode (SLACK_APP_TOKEN set): Bolt's SocketModeReceiver
 * calls apps.connections.open with the app-level token and takes every
 * command and click as an envelope over the emulator's WebSocket, against
 * the real PostgreSQL and Redis.
 */
describe('the bot in Socket Mode', () => {
  let slack: SlackEmulator;
  let database: TestDatabase;
  let coord: RedisCoordinator;
  let bot: RunningBot;
  let stopped = false;
  let channel: string;
  let ts: string;
  const settle = async () => {
    for (let round = 0; round < 3; round++) {
      await bot.slack?.inflight.drain();
      await bot.deps?.live.idle();
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const { config } = await loadConfigFile(exampleConfigPath, {}, { isExample: true });
    const { playbooks } = await loadPlaybooks(PLAYBOOKS_DIR);
    // Pings every second, so the SDK's ping/pong watchdogs run during the test.
    slack = await SlackEmulator.start({ socketPingIntervalMs: 1000 });
    slack.useSocketMode();
    coord = testCoordinator();
    const log = createLogger({
      level: process.env.TEST_LOG_LEVEL ?? 'warn',
      format: 'json',
      destination: process.stderr,
    });
    bot = await startBot({
      env: {
        PORT: 0,
        slack: { mode: 'socket', botToken: slack.botToken, appToken: slack.appToken, apiUrl: slack.apiUrl },
      },
      config,
      playbooks,
      db: database.db,
      coord,
      clock: systemClock,
      log,
      host: '127.0.0.1',
    });
    await slack.waitForSocket();
  });
  afterAll(async () => {
    if (!stopped) await bot?.stop();
    await coord?.close();
    await slack?.close();
    await database?.drop();
  });

  it('connects with the URL apps.connections.open gave for the app-level token, and serves no HTTP endpoint for Slack', async () => {
    const [open] = slack.callsTo('apps.connections.open');
    expect(open).toMatchObject({
      token: slack.appToken,
      response: { ok: true, url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/emulator\/socket\?ticket=/) },
    });
    expect(slack.callsTo('auth.test')[0]?.token).toBe(slack.botToken);
    expect(slack.socketConnections).toBe(1);
    expect((await fetch(`${bot.url}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(404);
  });

  it('opens an incident from /incident over the socket: a channel, the live message, the announcement', async () => {
    const result = await slack.sendCommand({ text: 'auth-401 socket test', user: ADA, channel: 'C0INCIDENTS' });
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('auth-401') });
    expect(slack.ephemerals({ user: ADA }).at(-1)).toMatchObject({
      source: 'ack',
      text: expect.stringContaining('Opening an incident'),
    });
    const created = await slack.waitForCall('conversations.create');
    await slack.waitForCall('pins.add');
    await settle();
    const { rows } = await database.db.query<{ key: string; channel_id: string; message_ts: string }>(
      'SELECT key, channel_id, message_ts FROM incidents',
    );
    expect(rows).toHaveLength(1);
    const [{ key, channel_id, message_ts }] = rows as [{ key: string; channel_id: string; message_ts: string }];
    [channel, ts] = [channel_id, message_ts];
    expect(created.params.name).toBe(`inc-${key.slice(4)}-auth-401`);
    const live = slack.message(channel, ts)!;
    expect(live.text).toContain(key);
    expect(JSON.stringify(live.blocks)).toContain('socket test');
    await slack.waitFor(() => slack.messages('C0INCIDENTS').find((m) => m.text.includes(key)), {
      what: 'the announcement in #incidents',
    });
  });

  it('marks a step done when its Done button is clicked over the socket', async () => {
    const since = slack.calls.length;
    const click = await slack.click({ user: ADA, channel, ts, actionId: 'step.done.3' });
    expect(click).toMatchObject({ status: 200, body: '' });
    expect((await slack.waitForCall('chat.update', { since })).params).toMatchObject({ channel, ts });
    await settle();
    await slack.waitFor(() => JSON.stringify(slack.message(channel, ts)?.blocks ?? []).includes(`Done by <@${ADA}>`), {
      what: 'the step marked done',
    });
  });

  it('answers /incident with empty text with help, as the ack payload shown ephemerally', async () => {
    const result = await slack.sendCommand({ text: '', user: ADA, channel: 'C0INCIDENTS' });
    expect(result).toMatchObject({ status: 200, json: { response_type: 'ephemeral' } });
    expect(result.ackMs).toBeLessThan(3000);
    expect(JSON.stringify(slack.ephemerals({ user: ADA }).at(-1))).toContain('/incident <playbook> [summary]');
  });

  it('reconnects with a fresh URL when Slack sends disconnect', async () => {
    const opened = slack.callsTo('apps.connections.open').length;
    expect(slack.disconnectSocket('refresh_requested')).toBe(1);
    await slack.waitForSocket({ closed: true });
    // The SDK waits clientPingTimeout (5 s) before its first reconnect attempt.
    await slack.waitForSocket({ timeoutMs: 15_000 });
    expect(slack.callsTo('apps.connections.open')).toHaveLength(opened + 1);
    const result = await slack.sendCommand({ text: 'help', user: ADA });
    expect(result.status).toBe(200);
  }, 30_000);

  it('closes its socket when it stops', async () => {
    expect(slack.socketConnections).toBe(1);
    stopped = true;
    await bot.stop();
    await slack.waitForSocket({ closed: true });
    await expect(slack.sendCommand({ text: 'help' })).rejects.toThrow(/no Socket Mode connection/);
  });
});
