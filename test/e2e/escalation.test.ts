import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type Harness, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';

const ADA = 'U0ONCALL01';
const GRACE = 'U0SECOND02';
const LIN = 'U0LEAD0005';
const MINUTE = 60_000;

describe('escalation on a clock', () => {
  let h: Harness;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(new Date());
    h = await startHarness({ clock });
  });
  afterEach(() => h.stop());

  const level = async (key: string) =>
    (await h.db.query<{ escalation_level: number }>('SELECT escalation_level FROM incidents WHERE key = $1', [key]))
      .rows[0]!.escalation_level;
  const paged = async (key: string) =>
    (await timelineOf(h.db, key)).filter((e) => e.kind === 'escalation.paged').map((e) => e.data.level);
  const dmsTo = (user: string) => h.slack.callsTo('conversations.open').filter((c) => c.params.users === user).length;

  it('pages level 1 when the incident opens: the user group in the thread and each responder by DM', async () => {
    const { key, channel, ts } = await h.open('auth-401 login failing');
    expect(await paged(key)).toEqual([1]);
    const page = h.slack.thread(channel, ts).find((m) => m.text.startsWith('Paging level 1'))!;
    expect(JSON.stringify(page.blocks)).toContain('<!subteam^S0LEVEL1>');
    expect(dmsTo(ADA)).toBe(1);
  });

  it('pages level 2 when level 1 has not acknowledged within 15 minutes', async () => {
    const { key, channel, ts } = await h.open('auth-401 login failing');
    await h.advance(14 * MINUTE);
    expect(await level(key)).toBe(1);
    await h.advance(1 * MINUTE);
    expect(await level(key)).toBe(2);
    expect(await paged(key)).toEqual([1, 2]);
    expect(dmsTo(GRACE)).toBe(1);
    expect(JSON.stringify(h.slack.message(channel, ts)!.blocks)).toContain('Level 2 of 3');
    const escalated = (await timelineOf(h.db, key)).find((e) => e.kind === 'incident.escalated')!;
    expect(escalated).toMatchObject({ actor: 'system', data: { from: 1, to: 2, clock: 'ack' } });
    expect(escalated.data.late).toBeUndefined();
  });

  it('does not escalate once someone has acknowledged', async () => {
    const { key } = await h.open('auth-401 login failing');
    await h.advance(5 * MINUTE);
    await h.slack.sendCommand({ text: `ack ${key}`, user: ADA });
    await h.advance(60 * MINUTE);
    expect(await level(key)).toBe(1);
    expect(await paged(key)).toEqual([1]);
    expect(
      (await timelineOf(h.db, key)).filter((e) => e.kind === 'escalation.stopped').map((e) => e.data.reason),
    ).toEqual(['acknowledged']);
  });

  it('starts over from level 1 after the last level (repeat), then stops', async () => {
    const { key } = await h.open('auth-401 login failing');
    await h.advance(15 * MINUTE); // level 1 → 2
    await h.advance(15 * MINUTE); // level 2 → 3
    expect(await level(key)).toBe(3);
    expect(dmsTo(LIN)).toBe(1);
    await h.advance(30 * MINUTE); // level 3 unresolved for 30 minutes → level 1 again, round 2
    expect(await level(key)).toBe(1);
    await h.advance(15 * MINUTE);
    await h.advance(15 * MINUTE);
    await h.advance(30 * MINUTE); // the end of round 2: repeat: 1 is used up
    expect(await paged(key)).toEqual([1, 2, 3, 1, 2, 3]);
    expect((await timelineOf(h.db, key)).at(-1)).toMatchObject({
      kind: 'escalation.stopped',
      data: { reason: 'exhausted' },
    });
    await h.advance(60 * MINUTE);
    expect(await paged(key)).toHaveLength(6);
  });

  it('jumps to a level by hand, and the old clock no longer fires', async () => {
    const { key } = await h.open('auth-401 login failing');
    await h.advance(2 * MINUTE);
    await h.slack.sendCommand({ text: `escalate 3 ${key}`, user: ADA });
    await h.settle();
    expect(await paged(key)).toEqual([1, 3]);
    expect(await level(key)).toBe(3);
    await h.advance(16 * MINUTE); // level 1's clock would have fired here
    expect(await level(key)).toBe(3);
    expect(await paged(key)).toEqual([1, 3]);
  });

  it('stops everything when the incident is resolved', async () => {
    const { key } = await h.open('auth-401 login failing');
    await h.slack.sendCommand({ text: `resolve ${key}`, user: ADA });
    await h.advance(120 * MINUTE);
    expect(await paged(key)).toEqual([1]);
    expect(
      (await timelineOf(h.db, key)).filter((e) => e.kind === 'escalation.stopped').map((e) => e.data.reason),
    ).toEqual(['resolved']);
  });

  it('fires an escalation that fell due while the bot was down when it comes back, marked late', async () => {
    const { key, channel, ts } = await h.open('auth-401 login failing');
    await h.bot.stop();
    clock.advance(40 * MINUTE);
    const restarted = await h.startReplica();
    h.slack.connectBot(`${restarted.url}/slack/events`);
    await h.settle();
    expect(await level(key)).toBe(2);
    const escalated = (await timelineOf(h.db, key)).find((e) => e.kind === 'incident.escalated')!;
    expect(escalated.data).toMatchObject({ late: true, lateByMs: 25 * MINUTE });
    expect(h.slack.thread(channel, ts).some((m) => JSON.stringify(m.blocks).includes('late by 25m'))).toBe(true);
  });
});
