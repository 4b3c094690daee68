import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { type FaultHarness, startFaultHarness } from './support/stack.js';

const ADA = 'U0ONCALL01';

/**
 * Adopting the channel a lost answer created, when the adoption itself fails once (issue 14, "Invisible
 * incident", its double fault): the incident still ends up in the one channel Slack made, never a `-2`.
 */
describe('adopting an incident channel while Slack fails twice', () => {
  let h: FaultHarness;
  beforeAll(async () => {
    h = await startFaultHarness({ clock: new ManualClock(new Date('2026-12-09T10:00:00Z')), log: silentLogger });
  });
  afterAll(() => h.stop());

  const placedRow = async (key: string) =>
    (
      await h.db.query<{ channel_id: string | null; message_ts: string | null; placed_at: Date | null }>(
        'SELECT channel_id, message_ts, placed_at FROM incidents WHERE key = $1',
        [key],
      )
    ).rows[0];

  for (const [what, method, lookupFault] of [
    // First, while the bot has not yet asked auth.test who it is (it keeps the answer): not knowing is not "no".
    ['cannot say who the bot is (auth.test 500)', 'auth.test', { status: 500 }],
    ['fails (500)', 'conversations.list', { status: 500 }],
    ['loses its answer', 'conversations.list', { dropAfterDoing: true }],
    ['is rate limited (429)', 'conversations.list', { ratelimited: 20 }],
  ] as const)
    it(`conversations.create's answer lost, then the name_taken lookup ${what} once: one channel, one message`, async () => {
      const key = `INC-${(await h.db.query('SELECT 1 FROM incidents')).rowCount + 1}`;
      const number = key.slice(4);
      const created = h.slack.failNext('conversations.create', { dropAfterDoing: true }, 1);
      const lookup = h.slack.failNext(method, lookupFault, 1);
      await h.slack.sendCommand({ text: 'redis-down cache misses', user: ADA });
      await h.settle();
      for (let i = 0; i < 10 && !(await placedRow(key))?.placed_at; i++) await h.advance(20_000);

      expect(created.hits).toBe(1);
      expect(lookup.hits).toBe(1);
      const placed = (await placedRow(key))!;
      expect(placed.placed_at).not.toBeNull();
      const channels = h.slack.workspace.channels.filter((c) => c.name.startsWith(`inc-${number}-`));
      expect(channels.map((c) => c.name)).toEqual([`inc-${number}-redis-down`]);
      expect(placed.channel_id).toBe(channels[0]!.id);
      expect(channels[0]!.purpose).toContain(key);
      const live = h.slack
        .messages(placed.channel_id!)
        .filter((m) => (m.metadata as { event_type?: string } | undefined)?.event_type === 'incidentbot_live_message');
      expect(live.map((m) => m.ts)).toEqual([placed.message_ts]);
      h.slack.clearFaults();
    });
});
