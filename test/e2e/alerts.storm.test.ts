import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../src/bot.js';
import { alertNotification, alertsConfig, sendAlerts } from '../support/alertsHarness.js';
import { type Harness, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';

/** One Alertmanager notification: one group (its groupKey), `count` firing alerts. */
function groupBody(group: string, count: number, alertname = 'RedisDown') {
  return alertNotification(
    'firing',
    { labels: { alertname, cluster: group }, route: '{}/{severity="page"}' },
    Array.from({ length: count }, (_, i) => ({
      fingerprint: `${group}-${String(i).padStart(4, '0')}`,
      labels: { instance: `${group}-${i}` },
      annotations: { summary: `${alertname} on ${group}-${i}` },
    })),
  );
}

/**
 * Alert storms are bounded: the alerts of one group join one incident, and
 * at most `max_new_incidents` incidents open from alerts per window; the
 * rest is folded into the newest with a line in its thread.
 */
describe('alert storms', () => {
  let h: Harness;
  let replica: RunningBot;
  const send = (body: unknown, to: RunningBot = h.bot) => sendAlerts(to, body);
  const incidents = async () =>
    (await h.db.query<{ key: string; channel_id: string; message_ts: string }>('SELECT * FROM incidents ORDER BY id'))
      .rows;
  const linked = async () =>
    (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM alert_incidents')).rows[0]!.n;
  const threadText = (i: { channel_id: string; message_ts: string }) =>
    h.slack.thread(i.channel_id, i.message_ts).map((m) => m.text);

  beforeAll(async () => {
    h = await startHarness({ config: alertsConfig({ max_new_incidents: 5, incident_window: '10m' }) });
    replica = await h.startReplica();
  });
  afterAll(() => h.stop());

  it('opens exactly 3 incidents for one batch of 50 alerts in 3 groups, delivered at once to two replicas', async () => {
    const bodies = [groupBody('east', 17), groupBody('west', 17), groupBody('north', 16)];
    const outcomes = await Promise.all([
      send(bodies[0]),
      send(bodies[1], replica),
      send(bodies[2]),
      send(bodies[2], replica),
    ]);
    await h.settle();
    expect(outcomes.flatMap((o) => o.opened)).toHaveLength(3);
    expect(await incidents()).toHaveLength(3);
    expect(await linked()).toBe(50);
    // Every alert is in its incident: the opener in incident.opened, the others as alert.joined.
    const joined = await Promise.all(
      (await incidents()).map(
        async (i) => (await timelineOf(h.db, i.key)).filter((e) => e.kind === 'alert.joined').length,
      ),
    );
    expect(joined.sort((a, b) => a - b)).toEqual([15, 16, 16]);
    // One summary line per batch in each thread, not one post per alert.
    for (const incident of await incidents()) {
      const lines = threadText(incident).filter((t) => /more alerts? joined this incident/.test(t));
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.length).toBeLessThanOrEqual(2);
    }
  });

  it('opens nothing more when Alertmanager repeats the batch, on either replica', async () => {
    const outcomes = await Promise.all([
      send(groupBody('east', 17), replica),
      send(groupBody('west', 17)),
      send(groupBody('north', 16), replica),
    ]);
    expect(outcomes.map((o) => o.opened)).toEqual([[], [], []]);
    expect(outcomes.reduce((n, o) => n + o.known, 0)).toBe(50);
    expect(await incidents()).toHaveLength(3);
  });

  it('folds the groups past the cap into the newest alert incident, with a summary line in its thread', async () => {
    const fourth = await send(groupBody('south', 2));
    const fifth = await send(groupBody('central', 2));
    expect([fourth.opened.length, fifth.opened.length]).toEqual([1, 1]);
    // The webhook answers before the incident is placed: its channel is read once the bot has settled.
    const newestKey = (await incidents()).at(-1)!.key;
    expect(newestKey).toBe(fifth.opened[0]);
    const sixth = await send(groupBody('island', 3));
    const seventh = await send(groupBody('orbit', 4), replica);
    await h.settle();
    const newest = (await incidents()).find((i) => i.key === newestKey)!;
    expect([sixth, seventh]).toEqual([
      expect.objectContaining({ opened: [], joined: 3, folded: 3 }),
      expect.objectContaining({ opened: [], joined: 4, folded: 4 }),
    ]);
    expect(await incidents()).toHaveLength(5);
    const folded = (await timelineOf(h.db, newest.key)).filter((e) => e.kind === 'alert.joined' && e.data.folded);
    expect(folded).toHaveLength(7);
    // One line per batch, or one for the batches that came while the first waited for the thread: together they
    // say the fifth group's own second alert and the 7 folded in, and the cap for those.
    const summaries = h.slack
      .thread(newest.channel_id, newest.message_ts)
      .filter((m) => /^\d+ more alerts? joined this incident/.test(m.text))
      .map((m) => {
        const total = Number(/^\d+/.exec(m.text)![0]);
        const said = JSON.stringify(m.blocks);
        const folded = /They would have opened/.test(said) ? total : Number(/(\d+) of them would/.exec(said)?.[1] ?? 0);
        return { total, folded, cap: said.includes('at most 5 incidents open from alerts per 10m') };
      });
    expect(summaries.reduce((sum, m) => sum + m.total, 0)).toBe(8);
    expect(summaries.reduce((sum, m) => sum + m.folded, 0)).toBe(7);
    for (const m of summaries) expect(m.cap).toBe(m.folded > 0);
    // A later alert of a folded group joins the same incident directly.
    const later = await send({
      ...groupBody('island', 1),
      alerts: [{ ...groupBody('island', 1).alerts[0]!, fingerprint: 'island-late' }],
    });
    expect(later).toMatchObject({ opened: [], joined: 1 });
    expect(await incidents()).toHaveLength(5);
  });
});
