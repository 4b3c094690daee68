import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type Harness, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';

const GRACE = 'U0SECOND02';
const LIN = 'U0LEAD0005';
const ADA = 'U0ONCALL01';
const MINUTE = 60_000;

/** Document 000's Level 1/2/3 are categories of issue: each category's incident starts at its level. */
describe('escalation start levels', () => {
  let h: Harness;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(new Date());
    h = await startHarness({ clock });
  });
  afterEach(() => h.stop());

  const paged = async (key: string) =>
    (await timelineOf(h.db, key)).filter((e) => e.kind === 'escalation.paged').map((e) => e.data.level);
  const dmsTo = (user: string) => h.slack.callsTo('conversations.open').filter((c) => c.params.users === user).length;

  it('pages level 1 first for an authentication incident', async () => {
    const { key } = await h.open('auth-401 login failing');
    expect(await paged(key)).toEqual([1]);
  });

  it('pages level 2 first for a timeout incident, then escalates upward to level 3', async () => {
    const { key, channel, ts } = await h.open('timeout token requests time out');
    expect(await paged(key)).toEqual([2]);
    expect(dmsTo(GRACE)).toBe(1);
    expect(dmsTo(ADA)).toBe(0);
    expect(JSON.stringify(h.slack.message(channel, ts)!.blocks)).toContain('Level 2 of 3');
    await h.advance(15 * MINUTE);
    expect(await paged(key)).toEqual([2, 3]);
    expect(dmsTo(LIN)).toBe(1);
  });

  it('pages level 2 first for a cache incident', async () => {
    const { key } = await h.open('cache hit rate is falling');
    expect(await paged(key)).toEqual([2]);
  });

  it('pages level 3 first for an asyncio incident', async () => {
    const { key } = await h.open('asyncio event loop errors');
    expect(await paged(key)).toEqual([3]);
    expect(dmsTo(LIN)).toBe(1);
    expect(dmsTo(ADA) + dmsTo(GRACE)).toBe(0);
  });
});
