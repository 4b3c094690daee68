import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { type Harness, type OpenedIncident, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';

const GRACE = 'U0SECOND02';
const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/**
 * Item 7 of issue 14: "A 429 on one Web API method pauses the whole client
 * queue for Retry-After, holding every incident's due work." @slack/web-api
 * pauses its whole request queue on a 429 unless told to reject; a 429 must
 * hold only the calls that need what it limits.
 */
describe('Late and not said: a 429 holds only the work that needs the rate-limited method and channel', () => {
  let h: Harness;
  let clock: ManualClock;
  let one: OpenedIncident;
  let two: OpenedIncident;

  beforeEach(async () => {
    clock = new ManualClock(new Date());
    h = await startHarness({ clock, log: silentLogger });
    one = await h.open('auth-401 login failing');
    two = await h.open('auth-401 tokens expiring');
  });
  afterEach(() => h.stop());

  const level2Shown = (inc: OpenedIncident) =>
    JSON.stringify(h.slack.message(inc.channel, inc.ts)!.blocks).includes('Level 2 of 3');
  const pagedLevels = async (inc: OpenedIncident) =>
    (await timelineOf(h.db, inc.key)).filter((e) => e.kind === 'escalation.paged').map((e) => e.data.level);
  const dmsToGrace = () => {
    const opened = h.slack.callsTo('conversations.open').find((c) => c.params.users === GRACE);
    const channel = (opened?.response as { channel?: { id: string } } | undefined)?.channel?.id;
    return channel ? h.slack.messages(channel).map((m) => /INC-\d+/.exec(m.text)?.[0]) : [];
  };

  it('chat.update answering 429 (Retry-After 30) in one incident delays neither its pages nor another incident', async () => {
    const limit = h.slack.failMethod('chat.update', {
      status: 'ratelimited',
      retryAfterSeconds: 30,
      match: (p) => p.channel === one.channel,
    });
    await h.advance(15 * MINUTE);
    // Both escalate and page level 2 at once: the 429 held only incident one's live message.
    expect(await pagedLevels(one)).toEqual([1, 2]);
    expect(await pagedLevels(two)).toEqual([1, 2]);
    expect(dmsToGrace().sort()).toEqual([one.key, two.key].sort());
    expect(level2Shown(two)).toBe(true);
    expect(level2Shown(one)).toBe(false);
    // Slack was asked once, and not again before Retry-After: the limit is kept per method and channel.
    expect(limit.hits).toBe(1);

    limit.release();
    await h.advance(29 * SECOND);
    expect(level2Shown(one)).toBe(false);
    await h.advance(1 * SECOND);
    expect(level2Shown(one)).toBe(true);
  });

  it("chat.postMessage answering 429 in one incident's channel delays neither the DM pages nor another incident's thread", async () => {
    const limit = h.slack.failMethod('chat.postMessage', {
      status: 'ratelimited',
      retryAfterSeconds: 30,
      match: (p) => p.channel === one.channel,
    });
    await h.advance(15 * MINUTE);
    expect(dmsToGrace().sort()).toEqual([one.key, two.key].sort());
    const pageInThread = (inc: OpenedIncident) =>
      h.slack.thread(inc.channel, inc.ts).filter((m) => m.text.startsWith('Paging level 2'));
    expect(pageInThread(two)).toHaveLength(1);
    expect(pageInThread(one)).toHaveLength(0);

    limit.release();
    await h.advance(30 * SECOND);
    expect(pageInThread(one)).toHaveLength(1);
  });
});
