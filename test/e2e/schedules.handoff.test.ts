import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type Harness, startHarness } from '../support/harness.js';
import { overrideConfig } from '../support/config.js';
import { SCHEDULES, WEDNESDAY } from '../support/schedules.js';

const ADA = 'U0ONCALL01';
const GRACE = 'U0SECOND02';
const MINUTE = 60_000;
/** Grace takes over on Monday 14 December at 09:00 London time; she is told at 08:50. */
const UNTIL_NOTICE = new Date('2026-12-14T08:50:00Z').getTime() - WEDNESDAY.getTime();

describe('schedule handoffs', () => {
  let h: Harness;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(WEDNESDAY);
    h = await startHarness({ clock, config: (c) => overrideConfig(c, SCHEDULES) });
  });
  afterEach(() => h.stop());

  const notices = () =>
    h.slack.calls
      .filter((c) => c.method === 'chat.postMessage' && String(c.params.text).startsWith('You are on call for Auth'))
      .map((c) => c.params.text);
  const members = () => h.slack.workspace.usergroups.find((g) => g.id === 'S0AUTHNOW')!.users;

  it('sets the user group to whoever is on call when the bot starts mid-shift', async () => {
    // The start's catch-up may already have run (a wake during startBot): what it asked of Slack is the spec.
    await h.settle();
    expect(h.slack.callsTo('usergroups.users.update').map((c) => c.params)).toEqual([
      expect.objectContaining({ usergroup: 'S0AUTHNOW', users: ADA }),
    ]);
    expect(members()).toEqual([ADA]);
    // Nothing is said for a shift already running.
    expect(h.slack.messages('C0ENGINEER')).toEqual([]);
  });

  it('tells the incoming person once, across two replicas and a restart, then hands over the group', async () => {
    const replica = await h.startReplica();
    await h.advance(UNTIL_NOTICE - MINUTE);
    expect(notices()).toEqual([]);
    await h.advance(MINUTE);
    const notice = h.slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && String(c.params.text).startsWith('You are on call for Auth'),
    );
    expect(notice.map((c) => c.params.text)).toEqual([
      'You are on call for Auth on-call from 09:00 Mon 14 Dec until 09:00 Mon 21 Dec (Europe/London)',
    ]);
    expect(members()).toEqual([ADA]);
    // A replica restarts; both plan again at start: still one notice.
    await replica.stop();
    await h.startReplica();
    await h.advance(10 * MINUTE);
    expect(members()).toEqual([GRACE]);
    const posts = h.slack.messages('C0ENGINEER');
    expect(posts.map((m) => m.text)).toEqual([
      `<@${GRACE}> is on call for Auth on-call from 09:00 Mon 14 Dec until 09:00 Mon 21 Dec (Europe/London)`,
    ]);
    expect(
      h.slack.calls.filter(
        (c) => c.method === 'chat.postMessage' && String(c.params.text).startsWith('You are on call for Auth'),
      ),
    ).toHaveLength(1);
    const { rows } = await h.db.query<{ outcome: string; n: number }>(
      `SELECT outcome, count(*) AS n FROM scheduled_work
        WHERE kind = 'oncall.handoff' AND done_at IS NOT NULL GROUP BY outcome ORDER BY outcome`,
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { outcome: 'notice', n: 1 },
        { outcome: 'start', n: 1 },
      ]),
    );
  });

  it('marks a notice that goes out late as late', async () => {
    // The bot was down from before the notice until the shift had started.
    await h.advance(UNTIL_NOTICE + 20 * MINUTE);
    const notice = h.slack.calls.find(
      (c) => c.method === 'chat.postMessage' && String(c.params.text).startsWith('You are on call for Auth'),
    )!;
    expect(notice.params.text).toBe(
      'You are on call for Auth on-call since 09:00 Mon 14 Dec until 09:00 Mon 21 Dec (Europe/London) (late by 20m)',
    );
  });

  it('still tells the incoming person once, marked late, when the bot was down at the handoff and is back mid-shift', async () => {
    await h.settle();
    await h.bot.stop();
    // Down from Wednesday until Monday 12:00, three hours into Grace's week.
    clock.advance(UNTIL_NOTICE + 190 * MINUTE);
    await h.startReplica();
    await h.settle();
    expect(notices()).toEqual([
      'You are on call for Auth on-call since 09:00 Mon 14 Dec until 09:00 Mon 21 Dec (Europe/London) (late by 3h 10m)',
    ]);
    expect(members()).toEqual([GRACE]);
    await h.advance(60 * MINUTE);
    expect(notices()).toHaveLength(1);
  });

  it('tells the person on call once, marked late, when the bot was down for a whole shift and the next handoff', async () => {
    await h.settle();
    await h.bot.stop();
    // Down from Wednesday until Tuesday 22 December 12:00: Grace's week passed unseen, Ada's began on Monday.
    clock.advance(UNTIL_NOTICE + (7 * 24 * 60 + 27 * 60 + 10) * MINUTE);
    await h.startReplica();
    await h.settle();
    expect(notices()).toEqual([
      'You are on call for Auth on-call since 09:00 Mon 21 Dec until 09:00 Mon 28 Dec (Europe/London) (late by 27h 10m)',
    ]);
    expect(members()).toEqual([ADA]);
    await h.startReplica();
    await h.advance(60 * MINUTE);
    expect(notices()).toHaveLength(1);
  });

  it('hands off to the override person when an override starts, and back when it ends', async () => {
    await h.slack.sendCommand({ text: `oncall override auth <@${GRACE}> 2h`, user: ADA });
    await h.settle();
    expect(members()).toEqual([GRACE]);
    await h.advance(2 * 60 * MINUTE);
    expect(members()).toEqual([ADA]);
  });
});
