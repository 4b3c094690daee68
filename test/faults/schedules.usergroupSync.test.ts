import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { overrideConfig } from '../support/config.js';
import { SCHEDULES, WEDNESDAY } from '../support/schedules.js';
import { type FaultHarness, startFaultHarness } from './support/stack.js';

const ADA = 'U0ONCALL01';
const GRACE = 'U0SECOND02';
const MINUTE = 60_000;
/** Grace takes over auth on Monday 14 December at 09:00 London time. */
const UNTIL_HANDOFF = new Date('2026-12-14T09:00:00Z').getTime() - WEDNESDAY.getTime();

/**
 * The on-call user group's sync while Slack fails: `usergroups.users.update` answering 500, then 429 with
 * Retry-After, at a handoff. The handoff is retried until the group is set; its channel post and the incoming
 * person's notice go out once; nothing crashes.
 */
describe('on-call user group sync while Slack fails', () => {
  let h: FaultHarness;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(WEDNESDAY);
    h = await startFaultHarness({ clock, log: silentLogger, config: (c) => overrideConfig(c, SCHEDULES) });
    await h.settle();
  });
  afterAll(() => h.stop());

  const members = () => h.slack.workspace.usergroups.find((g) => g.id === 'S0AUTHNOW')!.users;
  const posts = (prefix: string) =>
    h.slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.response.ok === true && String(c.params.text).startsWith(prefix),
    );

  it('usergroups.users.update answering 500 and then 429 at a handoff: retried, set once, posted once', async () => {
    expect(members()).toEqual([ADA]);
    const down = h.slack.failNext('usergroups.users.update', { status: 500 }, 2);
    const limited = h.slack.failNext('usergroups.users.update', { ratelimited: 30 }, 1);
    await h.advance(UNTIL_HANDOFF);
    for (let i = 0; i < 20 && members()[0] !== GRACE; i++) await h.advance(MINUTE);

    expect(down.hits).toBe(2);
    expect(limited.hits).toBe(1);
    expect(members()).toEqual([GRACE]);
    const updates = h.slack.callsTo('usergroups.users.update').filter((c) => c.params.users === GRACE);
    expect(updates.map((c) => c.status)).toEqual([500, 500, 429, 200]);
    expect(posts(`<@${GRACE}> is on call for Auth on-call`)).toHaveLength(1);
    expect(posts('You are on call for Auth on-call')).toHaveLength(1);
    const { rows } = await h.db.query<{ outcome: string }>(
      `SELECT outcome FROM scheduled_work WHERE kind = 'oncall.handoff' AND dedupe_key LIKE $1`,
      [`%${GRACE}:start`],
    );
    expect(rows).toEqual([{ outcome: expect.stringMatching(/^start/) }]);

    // An hour on: nothing more is posted or set.
    await h.advance(60 * MINUTE);
    expect(posts(`<@${GRACE}> is on call for Auth on-call`)).toHaveLength(1);
    expect(h.slack.callsTo('usergroups.users.update').filter((c) => c.params.users === GRACE)).toHaveLength(4);
  });
});
