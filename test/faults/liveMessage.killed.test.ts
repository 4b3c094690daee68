import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackEmulator } from '../../src/playground/emulator/index.js';
import { type TestDatabase, createTestDatabase } from '../support/db.js';
import { uniqueName } from '../support/env.js';
import { until } from '../support/wait.js';
import { BotProcesses } from './support/botProcess.js';

const ADA = 'U0ONCALL01';

/**
 * The last gap of "Stale live message": a change committed, its render not done, and the process killed right
 * there (kill -9). No render item was scheduled yet (one is only when a render fails), so before the start-up
 * sweep the message showed the old state until the next change. Now every change bumps the incident's version
 * in its transaction, a render records the version it showed, and a new process renders every incident whose
 * version is ahead.
 */
describe('Stale live message: the bot killed between a commit and its render', () => {
  let slack: SlackEmulator;
  let database: TestDatabase;
  let bots: BotProcesses;
  beforeAll(async () => {
    slack = await SlackEmulator.start();
    database = await createTestDatabase('postgres');
    bots = new BotProcesses(slack, { schema: database.schema!, redisPrefix: `${uniqueName('ib')}:` });
  });
  afterAll(async () => {
    await bots.stop();
    await slack.close();
    await database.drop();
  });

  const incidentRow = async () =>
    (
      await database.db.query<{
        id: number;
        status: string;
        channel_id: string | null;
        message_ts: string | null;
        version: number;
        rendered_version: number | null;
      }>('SELECT id, status, channel_id, message_ts, version, rendered_version FROM incidents')
    ).rows[0];
  const pendingRenders = async () =>
    (
      await database.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM scheduled_work WHERE kind = 'render' AND done_at IS NULL`,
      )
    ).rows[0]!.n;

  it('renders the state of the database after a restart: the acknowledgement the killed process never showed', async () => {
    await bots.start();
    await slack.sendCommand({ text: 'auth-401 killed before its render', user: ADA });
    // Placed, and its live message caught up with everything opening did (pages, stakeholders, deadlines).
    const placed = await until(
      async () => {
        const row = await incidentRow();
        const quiet = slack.calls.every((c) => c.status !== 0);
        return row?.message_ts && row.channel_id && row.rendered_version === row.version && quiet ? row : undefined;
      },
      { timeoutMs: 30_000, what: `the incident placed and rendered (logs in ${bots.logDir})` },
    );
    const channel = placed.channel_id!;
    const ts = placed.message_ts!;
    const shown = () => slack.message(channel, ts)!.text;

    // Slack holds every update of the live message unanswered: the render after the click is in flight.
    slack.failNext('chat.update', { hang: true }, { always: true, match: (p) => p.ts === ts });
    const since = slack.calls.length;
    await slack.click({ user: ADA, channel, ts, actionId: 'incident.ack' });
    await slack.waitForCall(
      (c) => c.method === 'chat.update' && c.status === 0 && String(c.params.text).includes(': acknowledged,'),
      { since, timeoutMs: 20_000 },
    );
    await bots.kill();
    slack.clearFaults();

    const killed = (await incidentRow())!;
    expect(killed.status).toBe('acknowledged');
    expect(killed.version).toBeGreaterThan(killed.rendered_version!);
    expect(shown()).toContain(': open,');
    // Nothing durable asks for the render: only the version says the message is behind.
    expect(await pendingRenders()).toBe(0);

    await bots.start();
    await until(() => shown().includes(': acknowledged,'), {
      timeoutMs: 20_000,
      what: `the live message to show the acknowledgement (logs in ${bots.logDir})`,
    });
    // And it is known to: the render recorded the version it showed, so no sweep renders it again.
    await until(
      async () => {
        const row = (await incidentRow())!;
        return row.rendered_version === row.version && (await pendingRenders()) === 0;
      },
      { what: 'the sweep render recorded' },
    );
  }, 120_000);
});
