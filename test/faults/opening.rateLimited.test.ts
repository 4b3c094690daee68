import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { type FaultHarness, startFaultHarness } from './support/stack.js';

const ADA = 'U0ONCALL01';

/**
 * A 429 on `conversations.create` while an incident opens (issue 14, "Invisible incident" with Slack asking the bot
 * to wait): the place work waits out Retry-After in the bot's clock, the opener is told the channel is delayed and
 * for how long, and the incident gets one channel.
 */
describe('opening an incident while Slack rate-limits channel creation', () => {
  let h: FaultHarness;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(new Date('2026-12-09T10:00:00Z'));
    h = await startFaultHarness({ clock, log: silentLogger });
  });
  afterAll(() => h.stop());

  const ratelimitedCreates = async () => {
    const text = await (await fetch(`${h.bot.url}/metrics`)).text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith('incidentbot_slack_api_calls_total{') && l.includes('method="conversations.create"'))
      ?.match(/outcome="ratelimited"\} (\d+)/);
    return Number(line?.[1] ?? 0);
  };

  it('conversations.create answering 429: counted, retried after Retry-After, the opener told it is delayed', async () => {
    const limited = h.slack.failNext('conversations.create', { ratelimited: 30 }, 1);
    await h.slack.sendCommand({ text: 'auth-401 logins answer 401', user: ADA });
    await h.settle();

    expect(limited.hits).toBe(1);
    expect(await ratelimitedCreates()).toBe(1);
    const answers = h.slack.ephemerals({ user: ADA }).map((e) => e.text);
    expect(answers).toContain(
      '*INC-1* is open; its channel is delayed: Slack asked the bot to wait 30s. ' +
        'Responders are paged as soon as it is visible.',
    );
    expect(answers.join('\n')).not.toMatch(/went wrong|not answering/);
    const { rows: waiting } = await h.db.query<{ due_at: Date; attempts: number }>(
      `SELECT due_at, attempts FROM scheduled_work WHERE kind = 'place' AND done_at IS NULL`,
    );
    expect(waiting.map((w) => new Date(w.due_at).getTime())).toEqual([clock.now().getTime() + 30_000]);

    await h.advance(29_000);
    expect(h.slack.callsTo('conversations.create')).toHaveLength(1);
    await h.advance(1_000);
    const { rows } = await h.db.query<{ channel_id: string; message_ts: string; placed_at: Date | null }>(
      `SELECT channel_id, message_ts, placed_at FROM incidents WHERE key = 'INC-1'`,
    );
    expect(rows[0]!.placed_at).not.toBeNull();
    expect(h.slack.workspace.channels.filter((c) => c.name.startsWith('inc-1-')).map((c) => c.id)).toEqual([
      rows[0]!.channel_id,
    ]);
    expect(h.slack.callsTo('conversations.create').map((c) => c.status)).toEqual([429, 200]);
    expect(h.slack.messages(rows[0]!.channel_id).filter((m) => m.ts === rows[0]!.message_ts)).toHaveLength(1);
  });
});
