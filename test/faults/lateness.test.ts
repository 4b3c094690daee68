import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../src/bot.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { type Harness, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';
import { until } from '../support/wait.js';

const GRACE = 'U0SECOND02';
const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/**
 * Item 7 of issue 14, "Late and not said": after a replica died holding due
 * work, the other took it over only when the 120 s lease expired; the page was
 * 121 s late and not marked late, and the next level's clock had started at
 * the escalation, not the page.
 */
describe('Late and not said: a replica dies holding a page', () => {
  let h: Harness;
  let clock: ManualClock;
  let doomed: RunningBot;

  beforeEach(async () => {
    clock = new ManualClock(new Date());
    // The dead replica's failures are logged by design.
    h = await startHarness({ clock, log: silentLogger });
    doomed = await h.startReplica();
  });
  afterEach(async () => {
    h.slack.clearFaults();
    await doomed.stop();
    await h.stop();
  });

  const pageItem = async (incidentKey: string, level: number) =>
    (
      await h.db.query<{ locked_by: string | null; done_at: Date | null }>(
        `SELECT w.locked_by, w.done_at FROM scheduled_work w JOIN incidents i ON i.id = w.incident_id
          WHERE i.key = $1 AND w.kind = 'page' AND (w.payload ->> 'level')::int = $2`,
        [incidentKey, level],
      )
    ).rows[0];

  it('is taken over by the other replica within the 15 s lease, and the page says how late it is', async () => {
    const { key } = await h.open('auth-401 login failing');
    const since = h.slack.calls.length;
    // The doomed replica escalates to level 2; its page waits on Slack for the level's user group...
    const hang = h.slack.failMethod('usergroups.users.list', { status: 'hang', times: 1 });
    clock.advance(15 * MINUTE);
    const dueAt = clock.now();
    const dying = doomed.worker!.tick().catch(() => 0);
    await h.slack.waitForCall('usergroups.users.list', { since });
    expect((await pageItem(key, 2))?.locked_by).toBe(doomed.worker!.id);
    // ...and the replica dies there: no heartbeat, no outcome.
    await doomed.deps!.db.close();

    clock.advance(5 * SECOND);
    await h.bot.worker!.tick();
    expect((await pageItem(key, 2))?.locked_by).toBe(doomed.worker!.id);

    clock.advance(11 * SECOND);
    await h.bot.worker!.tick();
    const paged = (await timelineOf(h.db, key)).filter((e) => e.kind === 'escalation.paged');
    expect(paged.map((e) => e.data.level)).toEqual([1, 2]);
    expect(paged[1]!.data).toMatchObject({ late: true, lateByMs: 16 * SECOND, dueAt: dueAt.toISOString() });
    const dm = h.slack.callsTo('conversations.open').find((c) => c.params.users === GRACE)!.response as {
      channel: { id: string };
    };
    expect(h.slack.messages(dm.channel.id).map((m) => m.text)).toEqual([
      expect.stringMatching(/^You are paged for INC-\d+: level 2, Performance issues \(late by 16s\)$/),
    ]);

    // Level 2's clock started when its page went out, not when level 1 ran out.
    const { rows: clocks } = await h.db.query<{ due_at: Date }>(
      `SELECT w.due_at FROM scheduled_work w JOIN incidents i ON i.id = w.incident_id
        WHERE i.key = $1 AND w.kind = 'escalate' AND (w.payload ->> 'level')::int = 2`,
      [key],
    );
    expect(clocks.map((c) => c.due_at.getTime())).toEqual([dueAt.getTime() + 16 * SECOND + 15 * MINUTE]);

    hang.release();
    await dying;
  });

  it('is not taken over while its replica is alive and working on it (the heartbeat renews the lease)', async () => {
    const { key } = await h.open('auth-401 login failing');
    const since = h.slack.calls.length;
    const hang = h.slack.failMethod('usergroups.users.list', { status: 'hang', times: 1 });
    clock.advance(15 * MINUTE);
    const working = doomed.worker!.tick();
    await h.slack.waitForCall('usergroups.users.list', { since });
    const lease = async () =>
      (
        await h.db.query<{ locked_until: Date }>(
          `SELECT w.locked_until FROM scheduled_work w JOIN incidents i ON i.id = w.incident_id
            WHERE i.key = $1 AND w.kind = 'page' AND (w.payload ->> 'level')::int = 2`,
          [key],
        )
      ).rows[0]!.locked_until.getTime();
    const first = await lease();
    clock.advance(14 * SECOND);
    // The heartbeat (every 5 s of real time) renews it from the clock's new time.
    await until(async () => (await lease()) > first, { what: 'the heartbeat to renew the lease', timeoutMs: 10_000 });
    clock.advance(5 * SECOND);
    await h.bot.worker!.tick();
    expect((await pageItem(key, 2))?.locked_by).toBe(doomed.worker!.id);
    hang.release();
    await working;
    expect((await pageItem(key, 2))?.done_at).not.toBeNull();
    expect((await timelineOf(h.db, key)).filter((e) => e.kind === 'escalation.paged')).toHaveLength(2);
  });
  it('writes nothing when a replica that lost its lease (paused, not dead) comes back after the takeover', async () => {
    const { key } = await h.open('auth-401 login failing');
    const since = h.slack.calls.length;
    const hang = h.slack.failMethod('usergroups.users.list', { status: 'hang', times: 1 });
    clock.advance(15 * MINUTE);
    const paused = doomed.worker!.tick();
    await h.slack.waitForCall('usergroups.users.list', { since });
    // Its lease runs out before its next heartbeat: the other replica takes the page over and pages.
    clock.advance(16 * SECOND);
    await h.bot.worker!.tick();
    expect((await pageItem(key, 2))?.done_at).not.toBeNull();
    // The paused replica comes back and finishes its page: fenced, it records and sends nothing.
    hang.release();
    await paused;
    await h.settle();
    const paged = (await timelineOf(h.db, key)).filter((e) => e.kind === 'escalation.paged');
    expect(paged.map((e) => e.data.level)).toEqual([1, 2]);
    const dm = h.slack.callsTo('conversations.open').find((c) => c.params.users === GRACE)!.response as {
      channel: { id: string };
    };
    expect(h.slack.messages(dm.channel.id)).toHaveLength(1);
  });
});
