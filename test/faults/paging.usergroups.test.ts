import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type Harness, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';

const ADA = 'U0ONCALL01';

/**
 * A page expands the level's user groups with usergroups.users.list: Tier 2, about 20 calls a minute for the whole
 * workspace. In a storm, or while Slack fails that one method, it must not decide when a responder is paged.
 */
describe('paging a user group while usergroups.users.list is slow or failing', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ clock: new ManualClock(new Date('2026-12-07T10:00:00Z')) });
  });
  afterEach(() => h.stop());

  const groupMembersPaged = async (key: string) =>
    (await timelineOf(h.db, key)).find((e) => e.kind === 'escalation.paged')?.data.users as string[] | undefined;

  it('asks Slack once for the members when several incidents page the group at once', async () => {
    const slow = h.slack.failMethod('usergroups.users.list', { status: 'late', delayMs: 300 });
    const opened = await Promise.all(
      ['login failing', 'tokens rejected', 'SSO down'].map((s) => h.open(`auth-401 ${s}`)),
    );
    slow.release();
    expect(h.slack.callsTo('usergroups.users.list').filter((c) => c.params.usergroup === 'S0LEVEL1')).toHaveLength(1);
    for (const { key } of opened) expect(await groupMembersPaged(key)).toContain(ADA);
  });

  it('pages the members last seen when the cached list has expired and Slack fails the lookup', async () => {
    const first = await h.open('auth-401 login failing');
    const members = await groupMembersPaged(first.key);
    expect(members).toContain(ADA);
    // The minute's cache is gone; Slack answers 500 to the lookup from now on.
    await h.coord.delete('usergroup:S0LEVEL1');
    h.slack.failMethod('usergroups.users.list', { status: 500 });
    const second = await h.open('auth-401 tokens rejected');
    expect(await groupMembersPaged(second.key)).toEqual(members);
    expect(h.slack.callsTo('usergroups.users.list').some((c) => c.status === 500)).toBe(true);
  });
});
