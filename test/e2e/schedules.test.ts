import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type Harness, startHarness } from '../support/harness.js';
import { overrideConfig } from '../support/config.js';
import { timelineOf } from '../support/timeline.js';
import { captureLogs } from '../support/logs.js';
import { SCHEDULES, WEDNESDAY } from '../support/schedules.js';

const ADA = 'U0ONCALL01';
const GRACE = 'U0SECOND02';
const LIN = 'U0LEAD0005';
const SAM = 'U0STAKE003';
const MINUTE = 60_000;
describe('schedules', () => {
  let h: Harness;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(WEDNESDAY);
    h = await startHarness({ clock, config: (c) => overrideConfig(c, SCHEDULES) });
  });
  afterEach(() => h.stop());

  const dmsTo = (user: string) => h.slack.callsTo('conversations.open').filter((c) => c.params.users === user).length;
  const answerTo = async (text: string, user = ADA) => {
    const before = h.slack.ephemerals({ user }).length;
    await h.slack.sendCommand({ text, user });
    await h.settle();
    return h.slack.waitFor(
      () =>
        h.slack
          .ephemerals({ user })
          .slice(before)
          .find((e) => e.text !== ''),
      { what: `an answer to "${text}"` },
    );
  };

  it('pages the person on call when the level is paged, and records who it was', async () => {
    const { key } = await h.open('auth-401 login failing', { user: SAM });
    const paged = (await timelineOf(h.db, key)).find((e) => e.kind === 'escalation.paged')!;
    expect(paged.data).toMatchObject({ level: 1, users: [ADA], onCall: [{ schedule: 'auth', user: ADA }] });
    expect(dmsTo(ADA)).toBe(1);
    expect(dmsTo(GRACE)).toBe(0);
  });

  it('pages the override person instead, once an override covers the time', async () => {
    const answer = await answerTo(`oncall override auth <@${GRACE}> 2h`);
    expect(answer.text).toContain('Override on `auth`');
    const { key } = await h.open('auth-401 login failing', { user: SAM });
    const paged = (await timelineOf(h.db, key)).find((e) => e.kind === 'escalation.paged')!;
    expect(paged.data).toMatchObject({ users: [GRACE], onCall: [{ schedule: 'auth', user: GRACE }] });
    const { rows } = await h.db.query('SELECT user_id, created_by, replaces FROM oncall_overrides');
    expect(rows).toEqual([{ user_id: GRACE, created_by: ADA, replaces: ADA }]);
  });

  it('says an empty slot in the thread and pages the fallback, never nobody', async () => {
    const { key, channel, ts } = await h.open('auth-401 login failing', { user: SAM });
    await h.advance(15 * MINUTE); // level 2: the nights schedule has nobody at 10:15
    const paged = (await timelineOf(h.db, key)).filter((e) => e.kind === 'escalation.paged')[1]!;
    expect(paged.data).toMatchObject({
      level: 2,
      users: [LIN],
      onCall: [{ schedule: 'nights', user: null }],
      fallback: true,
    });
    const page = h.slack.thread(channel, ts).find((m) => m.text.startsWith('Paging level 2'))!;
    expect(JSON.stringify(page.blocks)).toContain("Nobody is on call for `nights`: paging the level's fallback.");
    expect(dmsTo(LIN)).toBe(1);
  });

  it('answers who is on call now and next, in the asker’s time zone', async () => {
    h.slack.workspace.users.find((u) => u.id === LIN)!.tz = 'America/New_York';
    const answer = await answerTo('oncall auth', LIN);
    const shown = JSON.stringify(answer.blocks);
    expect(answer.text).toBe(`On call now: auth: <@${ADA}>`);
    expect(shown).toContain(`Now: <@${ADA}> (layer 1) since 04:00 Mon 7 Dec until 04:00 Mon 14 Dec`);
    expect(shown).toContain(`Next: <@${GRACE}> (layer 1) from 04:00 Mon 14 Dec until 04:00 Mon 21 Dec`);
    expect(shown).toContain('Times in America/New_York');
    const all = await answerTo('oncall');
    expect(all.text).toBe(`On call now: auth: <@${ADA}>, nights: nobody`);
  });

  it('refuses bad input with a specific sentence and changes nothing', async () => {
    const said = async (text: string) => (await answerTo(text)).text;
    expect(await said(`oncall override auht <@${GRACE}> 2h`)).toBe(
      'There is no schedule `auht`. Did you mean `auth`? The schedules are `auth`, `nights`.',
    );
    expect(await said(`oncall override auth <@${GRACE}> two hours`)).toBe(
      'I cannot read `two hours` as a duration; write it like `30m`, `2h`, `1d` or `1w`, or `until Fri 18:00`.',
    );
    expect(await said(`oncall override auth <@${GRACE}> until someday`)).toBe(
      'I cannot read `someday` as an end; give a time such as `18:00`, `Fri 18:00` or `2026-12-08 18:00`.',
    );
    expect(await said(`oncall swap auth <@${ADA}> <@${LIN}>`)).toBe(
      `<@${LIN}> has no shift on \`auth\` in the next 8 weeks, so there is nothing to swap.`,
    );
    const { rows: none } = await h.db.query('SELECT id FROM oncall_overrides');
    expect(none).toEqual([]);
    expect(await said(`oncall swap auth <@${ADA}> <@${GRACE}>`)).toContain('Swapped on `auth`');
    // Ada now has Grace's week after her own (swap #2): trading it again is refused until that swap is removed.
    expect(await said(`oncall swap auth <@${ADA}> <@${GRACE}>`)).toBe(
      `<@${ADA}>'s shift (09:00 Mon 14 Dec – 09:00 Mon 28 Dec) overlaps swap #2 (<@${ADA}>, 09:00 Mon 14 Dec – ` +
        '09:00 Mon 21 Dec), so the swap is refused. Remove it first (`/incident oncall override remove 2`) ' +
        'or use `/incident oncall override` for a part of the shift.',
    );
    expect((await h.db.query('SELECT id FROM oncall_overrides')).rows).toHaveLength(2);
  });

  it('refuses an override or swap for someone Slack says is no user, or deactivated, and writes nothing', async () => {
    const said = async (text: string) => (await answerTo(text)).text;
    expect(await said('oncall override auth <@U0NOBODY00> 2h')).toBe(
      'Slack has no user `U0NOBODY00` in this workspace; mention them: `@` and pick a name.',
    );
    expect(await said(`oncall swap auth <@${ADA}> <@U0NOBODY00>`)).toBe(
      'Slack has no user `U0NOBODY00` in this workspace; mention them: `@` and pick a name.',
    );
    h.slack.workspace.users.find((u) => u.id === GRACE)!.deleted = true;
    expect(await said(`oncall override auth <@${GRACE}> 2h`)).toBe(
      `<@${GRACE}> is deactivated in this workspace, so they cannot be on call; pick someone else.`,
    );
    expect((await h.db.query('SELECT id FROM oncall_overrides')).rows).toEqual([]);
  });

  it('removes an override: the rotation applies again', async () => {
    await answerTo(`oncall override auth <@${GRACE}> until 18:00`);
    const answer = await answerTo('oncall override remove 1');
    expect(answer.text).toContain('Removed from `auth`');
    const { key } = await h.open('auth-401 login failing', { user: SAM });
    const paged = (await timelineOf(h.db, key)).find((e) => e.kind === 'escalation.paged')!;
    expect(paged.data).toMatchObject({ users: [ADA] });
    const { rows } = await h.db.query('SELECT removed_by FROM oncall_overrides');
    expect(rows).toEqual([{ removed_by: ADA }]);
  });
});

describe('schedules and access', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({
      clock: new ManualClock(WEDNESDAY),
      config: (c) => overrideConfig(c, { ...SCHEDULES, access: { change: { channel_members: false } } }),
    });
  });
  afterEach(() => h.stop());

  it('counts the paged on-call person as a responder: they may acknowledge, others may not', async () => {
    const { key } = await h.open('auth-401 login failing', { user: SAM });
    await h.slack.sendCommand({ text: `ack ${key}`, user: GRACE });
    await h.settle();
    expect((await timelineOf(h.db, key)).some((e) => e.kind === 'incident.acknowledged')).toBe(false);
    await h.slack.sendCommand({ text: `ack ${key}`, user: ADA });
    await h.settle();
    const acked = (await timelineOf(h.db, key)).find((e) => e.kind === 'incident.acknowledged');
    expect(acked?.actor).toBe(ADA);
  });
});

describe('schedules at start-up', () => {
  it('asks Slack about each person on a schedule and logs the ones it does not know, and starts anyway', async () => {
    const logs = captureLogs('info');
    const withStranger = structuredClone(SCHEDULES);
    withStranger.schedules.nights.layers[0]!.users = [SAM, 'U0NOBODY00'];
    const h = await startHarness({
      clock: new ManualClock(WEDNESDAY),
      log: logs.log,
      config: (c) => overrideConfig(c, withStranger),
    });
    try {
      const asked = h.slack.callsTo('users.info').map((c) => c.params.user);
      expect(asked.sort()).toEqual([ADA, GRACE, SAM, 'U0NOBODY00'].sort());
      const warned = logs.lines().filter((l) => String(l.msg).includes('is not a Slack user'));
      expect(warned).toEqual([expect.objectContaining({ user: 'U0NOBODY00', schedules: ['nights'] })]);
      expect((await h.open('auth-401 login failing', { user: SAM })).key).toMatch(/^INC-/);
    } finally {
      await h.stop();
    }
  });
});
