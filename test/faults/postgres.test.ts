import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { until } from '../support/wait.js';
import { captureLogs } from '../support/logs.js';
import { type FaultHarness, startFaultHarness } from './support/stack.js';

const ADA = 'U0ONCALL01';
const MINUTE = 60_000;

/** PostgreSQL going away under a running bot (items 1 and 2 of issue 14): the bot stays up and catches up. */
describe('PostgreSQL going away', () => {
  let h: FaultHarness;
  let clock: ManualClock;
  const logs = captureLogs('warn');
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    clock = new ManualClock(new Date());
    h = await startFaultHarness({ clock, log: logs.log });
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await h.stop();
  });

  const count = async (key: string, kind: string, level?: number) =>
    (
      await h.db.query(
        `SELECT 1 FROM timeline_events e JOIN incidents i ON i.id = e.incident_id
          WHERE i.key = $1 AND e.kind = $2 AND ($3::int IS NULL OR (e.data ->> 'level')::int = $3)`,
        [key, kind, level ?? null],
      )
    ).rowCount;

  it(
    'Crash: PostgreSQL refusing connections at the moment a woken worker tick runs does not kill the process, ' +
      'and the due work runs once after PostgreSQL returns',
    async () => {
      const { key } = await h.open('auth-401 before the outage');
      await h.pg.cut();
      clock.advance(16 * MINUTE); // level 2's clock runs out while PostgreSQL refuses connections
      h.bot.deps!.wake();
      await until(() => logs.text().includes('cannot claim due work'), { what: 'the woken tick to meet the refusal' });
      await expect(h.bot.worker!.tick()).resolves.toBe(0);
      expect(unhandled).toEqual([]);
      expect(await count(key, 'incident.escalated')).toBe(0);

      await h.pg.restore();
      await h.settle();
      expect(await count(key, 'incident.escalated')).toBe(1);
      expect(await count(key, 'escalation.paged', 2)).toBe(1);
      await h.advance(MINUTE);
      expect(await count(key, 'escalation.paged', 2)).toBe(1);
      expect(unhandled).toEqual([]);
    },
  );

  it('PostgreSQL restarted during an incident open: the opener gets a clear sentence; nothing half-done remains', async () => {
    // Down when the command arrives: nothing is opened, and the opener reads why.
    await h.pg.cut();
    await h.slack.sendCommand({ text: 'redis-down while the database is away', user: ADA });
    await h.settle();
    expect(h.slack.ephemerals({ user: ADA }).some((e) => e.text.includes('The database stopped answering'))).toBe(true);
    expect((await h.db.query(`SELECT 1 FROM incidents WHERE playbook_id = 'redis-down'`)).rowCount).toBe(0);
    await h.pg.restore();

    // Restarted right after the commit, while Slack creates the channel: the open finishes once it is back.
    h.slack.failNext('conversations.create', { delayMs: 1_000 });
    await h.slack.sendCommand({ text: 'redis-down cut after the commit', user: ADA });
    const channel = await h.slack.waitFor(
      () => h.slack.workspace.channels.find((c) => c.name.endsWith('-redis-down')),
      { what: 'the channel' },
    );
    const key = `INC-${channel.name.split('-')[1]}`;
    await h.pg.cut();
    await until(() => logs.text().includes('could not record the outcome'), { what: 'the place work to fail' });
    await h.settle();
    expect(
      h.slack.ephemerals({ user: ADA }).some((e) => e.text.includes(`${key}* is open; its channel is being created`)),
    ).toBe(true);
    await h.pg.restore();
    clock.advance(3 * MINUTE); // past the lease the failed attempt still holds
    await h.settle();
    const { rows } = await h.db.query<{ channel_id: string; message_ts: string; placed_at: Date | null }>(
      `SELECT channel_id, message_ts, placed_at FROM incidents WHERE key = $1`,
      [key],
    );
    expect(rows[0]!.placed_at).not.toBeNull();
    expect(h.slack.workspace.channels.filter((c) => c.name.endsWith('-redis-down')).map((c) => c.id)).toEqual([
      rows[0]!.channel_id,
    ]);
    expect(await count(key, 'incident.placed')).toBe(1);
    expect(await count(key, 'escalation.paged', 1)).toBe(1);
    expect(unhandled).toEqual([]);
  });
});
