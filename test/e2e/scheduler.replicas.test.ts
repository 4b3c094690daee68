import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { type Harness, startHarness } from '../support/harness.js';

const ADA = 'U0ONCALL01';
const GRACE = 'U0SECOND02';
const MINUTE = 60_000;
const INCIDENTS = 12;

describe('due work on two replicas, with a restart in the middle', () => {
  let h: Harness;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(new Date());
    // The lost answers make the worker warn and retry: expected here, so kept out of the test output.
    h = await startHarness({ clock, log: silentLogger });
  });
  afterAll(() => h.stop());

  it("fires each escalation once and pages each person once, even when Slack's answers are lost", async () => {
    const b = await h.startReplica();
    for (let i = 0; i < INCIDENTS; i++) {
      h.slack.connectBot(`${(i % 2 === 0 ? h.bot : b).url}/slack/events`);
      await h.slack.sendCommand({ text: `auth-401 replica test ${i}`, user: ADA });
    }
    await h.settle();
    const { rows: opened } = await h.db.query<{ key: string }>('SELECT key FROM incidents');
    expect(opened).toHaveLength(INCIDENTS);

    // Three page DMs to Grace reach Slack but their answers are lost: the sender cannot know they arrived.
    h.slack.loseResponses('chat.postMessage', {
      times: 3,
      match: (params) => String(params.channel).startsWith('D') && String(params.text).includes('level 2'),
    });
    clock.advance(15 * MINUTE);
    const a = h.bot;
    const draining = Promise.all([a.worker!.tick(), b.worker!.tick()]);
    await a.stop(); // a restart in the middle: A finishes what it holds and stops
    await draining;
    const c = await h.startReplica(); // ...and comes back as C
    h.slack.connectBot(`${c.url}/slack/events`);
    clock.advance(3 * MINUTE); // past the lease of anything A held, and past the retry backoff
    await h.settle();
    clock.advance(3 * MINUTE);
    await h.settle();

    const { rows } = await h.db.query<{ key: string; level: number; escalations: number; pages: number }>(
      `SELECT i.key, i.escalation_level AS level,
              count(*) FILTER (WHERE e.kind = 'incident.escalated')::int AS escalations,
              count(*) FILTER (WHERE e.kind = 'escalation.paged' AND e.data ->> 'level' = '2')::int AS pages
         FROM incidents i JOIN timeline_events e ON e.incident_id = i.id GROUP BY i.key, i.escalation_level`,
    );
    expect(rows).toHaveLength(INCIDENTS);
    for (const row of rows) expect(row, row.key).toMatchObject({ level: 2, escalations: 1, pages: 1 });

    const dm = h.slack.callsTo('conversations.open').find((c) => c.params.users === GRACE)!.response as {
      channel: { id: string };
    };
    const pagesToGrace = h.slack.messages(dm.channel.id).filter((m) => m.text.includes('level 2'));
    const perIncident = new Map<string, number>();
    for (const m of pagesToGrace)
      perIncident.set(m.text.split(':')[0]!, (perIncident.get(m.text.split(':')[0]!) ?? 0) + 1);
    expect(perIncident.size).toBe(INCIDENTS);
    expect([...perIncident.values()].every((n) => n === 1)).toBe(true);
    expect(h.slack.calls.filter((c) => c.status === 0)).toHaveLength(3);

    const { rows: pending } = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM scheduled_work WHERE done_at IS NULL AND due_at <= $1`,
      [clock.now()],
    );
    expect(pending[0]!.n).toBe(0);
  });
});
