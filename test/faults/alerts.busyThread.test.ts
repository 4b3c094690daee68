import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { alertNotification, alertsConfig, sendAlerts } from '../support/alertsHarness.js';
import { type Harness, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';

const SECOND = 1_000;

/** One Alertmanager notification of the group `cache`, with the given alerts. */
const notification = (status: 'firing' | 'resolved', fingerprints: string[]) =>
  alertNotification(
    status,
    { labels: { alertname: 'RedisDown', cluster: 'cache' } },
    fingerprints.map((fingerprint) => ({ fingerprint, labels: { instance: fingerprint } })),
  );

/**
 * In a storm the incident's channel is the busiest thing there is. Alertmanager's request must not wait for it:
 * a line about alerts that joined or resolved is durable work, sent when Slack lets it, once.
 */
describe("Held by Slack: an alert's line in a rate-limited thread does not hold Alertmanager's request", () => {
  let h: Harness;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-11-30T03:01:00Z'));
    h = await startHarness({
      clock,
      log: silentLogger,
      config: alertsConfig(),
    });
  });
  afterEach(() => h.stop());

  const send = (body: unknown) => sendAlerts(h.bot, body);
  const placed = async () =>
    (await h.db.query<{ key: string; channel_id: string; message_ts: string }>('SELECT * FROM incidents')).rows[0]!;
  const lines = async (pattern: RegExp) => {
    const incident = await placed();
    return h.slack.thread(incident.channel_id, incident.message_ts).filter((m) => pattern.test(m.text));
  };

  /** Opens the incident from its first alert, then its thread's channel answers 429 until released. */
  const openThenHoldThread = async () => {
    const opened = await send(notification('firing', ['cache-1']));
    expect(opened.opened).toHaveLength(1);
    await h.settle();
    const { channel_id: channel } = await placed();
    const limit = h.slack.failMethod('chat.postMessage', {
      status: 'ratelimited',
      retryAfterSeconds: 30,
      match: (p) => p.channel === channel,
    });
    return { opened, limit };
  };

  it('answers at once while chat.postMessage answers 429 for the thread, and posts each line once after Retry-After', async () => {
    const { opened, limit } = await openThenHoldThread();

    // The clock does not move while these are answered: a request that waited for Retry-After would never return.
    const joined = await send(notification('firing', ['cache-2', 'cache-3']));
    expect(joined).toMatchObject({ opened: [], joined: 2 });
    const again = await send(notification('firing', ['cache-2', 'cache-3']));
    expect(again).toMatchObject({ opened: [], joined: 0 });
    const resolved = await send(notification('resolved', ['cache-1']));
    expect(resolved.resolved).toEqual([opened.opened[0]]);
    await h.settle();
    const events = (await timelineOf(h.db, opened.opened[0]!)).map((e) => e.kind);
    expect(events.filter((k) => k === 'alert.joined')).toHaveLength(2);
    expect(events).toContain('alert.resolved');
    expect(await lines(/joined this incident|resolved/)).toEqual([]);

    limit.release();
    await h.advance(30 * SECOND);
    expect(await lines(/^2 more alerts joined this incident/)).toHaveLength(1);
    expect(await lines(/^Alert RedisDown resolved/)).toHaveLength(1);
  });

  it('says the batches that waited for the thread in one line, keeping a resolution between them where it came', async () => {
    const { opened, limit } = await openThenHoldThread();
    for (const batch of [['cache-2', 'cache-3'], ['cache-4'], ['cache-5', 'cache-6', 'cache-7']])
      expect(await send(notification('firing', batch))).toMatchObject({ joined: batch.length });
    await send(notification('resolved', ['cache-1']));
    expect(await send(notification('firing', ['cache-8', 'cache-9']))).toMatchObject({ joined: 2 });
    await h.settle();

    limit.release();
    await h.advance(30 * SECOND);
    const said = (await lines(/joined this incident|resolved/)).map((m) => m.text.split('\n')[0]);
    expect(said).toEqual([
      expect.stringMatching(/^6 more alerts joined this incident/),
      expect.stringMatching(/^Alert RedisDown resolved/),
      expect.stringMatching(/^2 more alerts joined this incident/),
    ]);
    const events = (await timelineOf(h.db, opened.opened[0]!)).map((e) => e.kind);
    expect(events.filter((k) => k === 'alert.joined')).toHaveLength(8);
  });
});
