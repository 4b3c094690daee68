import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { renderWork } from '../../src/app/liveMessage.js';
import { silentLogger } from '../../src/log.js';
import { scheduleWork } from '../../src/store/work.js';
import { type Harness, type OpenedIncident, startHarness } from '../support/harness.js';

const ADA = 'U0ONCALL01';
const SECOND = 1_000;

/**
 * Item 4 of issue 14, "Stale live message": chat.update failing for a while
 * after a click used to get 5 tries in 5.5 s, then never again, and the live
 * message showed the old state while the database said acknowledged.
 */
describe('Stale live message: the live message converges when chat.update fails for a while', () => {
  let h: Harness;
  let clock: ManualClock;
  let inc: OpenedIncident;

  beforeEach(async () => {
    clock = new ManualClock(new Date());
    // Failed renders warn by design here.
    h = await startHarness({ clock, log: silentLogger });
    inc = await h.open('auth-401 login failing');
  });
  afterEach(() => h.stop());

  const status = async () =>
    (await h.db.query<{ status: string }>('SELECT status FROM incidents WHERE key = $1', [inc.key])).rows[0]!.status;
  const shown = () => h.slack.message(inc.channel, inc.ts)!.text;
  const updatesOfTheLiveMessage = () =>
    h.slack.callsTo('chat.update').filter((c) => c.params.channel === inc.channel && c.params.ts === inc.ts);
  const pendingRenders = async () =>
    (
      await h.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM scheduled_work WHERE kind = 'render' AND done_at IS NULL`,
      )
    ).rows[0]!.n;

  it('shows acknowledged once Slack answers again, however many renders failed after the click', async () => {
    const outage = h.slack.failMethod('chat.update', { status: 500, match: (p) => p.ts === inc.ts });
    await h.slack.click({ user: ADA, channel: inc.channel, ts: inc.ts, actionId: 'incident.ack' });
    await h.settle();
    expect(await status()).toBe('acknowledged');
    expect(shown()).toContain(': open,');

    // Slack keeps failing: the render is retried with backoff, never dropped.
    for (const wait of [2, 5, 10, 30, 60, 60]) await h.advance(wait * SECOND);
    expect(shown()).toContain(': open,');
    expect(outage.hits).toBeGreaterThan(5);
    expect(await pendingRenders()).toBe(1);

    outage.release();
    await h.advance(60 * SECOND);
    expect(shown()).toContain(': acknowledged,');
    expect(await pendingRenders()).toBe(0);
    // Caught up: no render goes on after the message is right.
    const updates = updatesOfTheLiveMessage().length;
    await h.advance(10 * 60 * SECOND);
    expect(updatesOfTheLiveMessage()).toHaveLength(updates);
  });

  it('renders after a restart: the replica that comes up does the render the stopped one could not', async () => {
    const outage = h.slack.failMethod('chat.update', { status: 503, match: (p) => p.ts === inc.ts });
    await h.slack.click({ user: ADA, channel: inc.channel, ts: inc.ts, actionId: 'incident.ack' });
    await h.settle();
    await h.bot.stop();
    outage.release();
    const next = await h.startReplica();
    h.slack.connectBot(`${next.url}/slack/events`);
    expect(shown()).toContain(': open,');
    await h.advance(2 * SECOND);
    expect(shown()).toContain(': acknowledged,');
  });

  it('keeps one render waiting per incident however many renders fail', async () => {
    h.slack.failMethod('chat.update', { status: 500, match: (p) => p.ts === inc.ts });
    const id = (await h.db.query<{ id: number }>('SELECT id FROM incidents WHERE key = $1', [inc.key])).rows[0]!.id;
    for (let i = 0; i < 5; i++) await h.bot.deps!.live.refresh(Number(id));
    expect(updatesOfTheLiveMessage().length).toBeGreaterThanOrEqual(5);
    expect(await pendingRenders()).toBe(1);
  });

  it('renders once more, not once per request, when many refreshes arrive during a render', async () => {
    const id = Number(
      (await h.db.query<{ id: number }>('SELECT id FROM incidents WHERE key = $1', [inc.key])).rows[0]!.id,
    );
    const before = updatesOfTheLiveMessage().length;
    // The render is slow to be answered: the ten requests below all arrive while it runs.
    h.slack.failMethod('chat.update', { status: 'late', delayMs: 200, times: 1 });
    const first = h.bot.deps!.live.refresh(id);
    const more = Array.from({ length: 10 }, () => h.bot.deps!.live.refresh(id));
    await Promise.all([first, ...more]);
    await h.bot.deps!.live.idle();
    expect(updatesOfTheLiveMessage().length - before).toBe(2);
    expect(await pendingRenders()).toBe(0);
  });
  it('sends nothing for a waiting render that finds the message already showing the state', async () => {
    const id = Number(
      (await h.db.query<{ id: number }>('SELECT id FROM incidents WHERE key = $1', [inc.key])).rows[0]!.id,
    );
    await h.settle();
    const before = updatesOfTheLiveMessage().length;
    // Left over from a render that failed, or that waited for another replica's: the message caught up meanwhile.
    await scheduleWork(h.db, [renderWork(id, clock.now(), 'render lock held')], clock.now());
    await h.settle();
    expect(updatesOfTheLiveMessage()).toHaveLength(before);
    const { rows } = await h.db.query<{ outcome: string }>(`SELECT outcome FROM scheduled_work WHERE kind = 'render'`);
    expect(rows.map((r) => r.outcome)).toEqual(['already shown']);
  });

  it('stops retrying when Slack refuses the render for good (the message was deleted)', async () => {
    const refusal = h.slack.failMethod('chat.update', { status: 'error', error: 'message_not_found' });
    await h.slack.click({ user: ADA, channel: inc.channel, ts: inc.ts, actionId: 'incident.ack' });
    await h.settle();
    await h.advance(2 * SECOND);
    expect(await pendingRenders()).toBe(0);
    const hits = refusal.hits;
    await h.advance(10 * 60 * SECOND);
    expect(refusal.hits).toBe(hits);
    const { rows } = await h.db.query<{ outcome: string }>(`SELECT outcome FROM scheduled_work WHERE kind = 'render'`);
    expect(rows.map((r) => r.outcome)).toEqual(['slack refused: message_not_found']);
  });
});
