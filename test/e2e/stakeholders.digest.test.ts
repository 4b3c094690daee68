import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type Harness, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';

const SUPPORT = 'C0SUPPORT0';
const SECOND = 1_000;

describe('stakeholder pacing', () => {
  let h: Harness;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(new Date());
    h = await startHarness({
      clock,
      config: (config) => ({ ...config, stakeholders: { ...config.stakeholders, min_interval: 10 * SECOND } }),
    });
  });
  afterEach(() => h.stop());

  const sentTo = async (key: string, to: string) =>
    (await timelineOf(h.db, key)).filter((e) => e.kind === 'notification.sent' && e.data.to === to);

  it('carries three incidents’ updates to one channel in one digest post, each in its own timeline with that post', async () => {
    const first = await h.open('critical api down in all regions');
    const waiting = [
      await h.open('critical checkout down in all regions'),
      await h.open('critical login down in all regions'),
      await h.open('critical search down in all regions'),
    ];
    await h.settle();
    // The first incident's update went out at once; the others wait for the channel's next slot.
    expect(h.slack.messages(SUPPORT)).toHaveLength(1);
    for (const { key } of waiting) expect(await sentTo(key, SUPPORT)).toHaveLength(0);

    await h.advance(10 * SECOND);
    const posts = h.slack.messages(SUPPORT);
    expect(posts).toHaveLength(2);
    const digest = posts[1]!;
    expect(digest.text).toMatch(/^3 incidents changed: /);
    for (const { key } of waiting) {
      expect(digest.text).toContain(key);
      const sent = await sentTo(key, SUPPORT);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.data).toMatchObject({ reason: 'opened', ts: digest.ts, digest: 3 });
    }
    expect((await sentTo(first.key, SUPPORT))[0]!.data.ts).toBe(posts[0]!.ts);
    expect(posts[0]!.text).not.toMatch(/incidents changed/);
  });

  it('holds an update until the channel’s next slot, then posts it on its own when nothing else waits', async () => {
    await h.open('critical api down in all regions');
    await h.advance(4 * SECOND);
    const { key } = await h.open('critical checkout down in all regions');
    await h.settle();
    expect(await sentTo(key, SUPPORT)).toHaveLength(0);
    await h.advance(5 * SECOND);
    expect(await sentTo(key, SUPPORT)).toHaveLength(0);
    await h.advance(1 * SECOND);
    const sent = await sentTo(key, SUPPORT);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data.digest).toBeUndefined();
    expect(h.slack.messages(SUPPORT)[1]!.text).toContain(key);
  });

  it('keeps one post per slot across two replicas, and every update in its timeline once', async () => {
    await h.startReplica();
    const keys = [];
    for (const service of ['api', 'checkout', 'login', 'search', 'billing'])
      keys.push((await h.open(`critical ${service} down in all regions`)).key);
    for (let i = 0; i < 4; i++) await h.advance(10 * SECOND);
    const sent = (await Promise.all(keys.map((key) => sentTo(key, SUPPORT)))).flat();
    expect(sent).toHaveLength(keys.length);
    const posts = h.slack.messages(SUPPORT);
    expect(new Set(sent.map((e) => e.data.ts))).toEqual(new Set(posts.map((m) => m.ts)));
    const postedAt = [...new Set(sent.map((e) => e.occurredAt.getTime()))].sort((a, b) => a - b);
    for (let i = 1; i < postedAt.length; i++)
      expect(postedAt[i]! - postedAt[i - 1]!).toBeGreaterThanOrEqual(10 * SECOND);
  });
});
