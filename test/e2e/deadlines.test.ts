import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type Harness, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';

const ADA = 'U0ONCALL01';
const MINUTE = 60_000;

describe('deadlines', () => {
  let h: Harness;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(new Date());
    h = await startHarness({ clock });
  });
  afterEach(() => h.stop());

  const deadlines = async (key: string) =>
    Object.fromEntries(
      (
        await h.db.query<{ name: string; state: string }>(
          'SELECT d.name, d.state FROM deadlines d JOIN incidents i ON i.id = d.incident_id WHERE i.key = $1',
          [key],
        )
      ).rows.map((r) => [r.name, r.state]),
    );

  it("shows the playbook's deadlines on the live message as due times", async () => {
    const { channel, ts } = await h.open('critical api down in all regions');
    const json = JSON.stringify(h.slack.message(channel, ts)!.blocks);
    for (const title of ['Notify stakeholders', 'Root cause analysis', 'Incident report'])
      expect(json).toContain(title);
    expect(json).toContain('Deadlines');
  });

  it('meets "stakeholders within 10 minutes" by notifying them on open, without anyone asking', async () => {
    const { key } = await h.open('critical api down in all regions');
    expect((await deadlines(key)).stakeholders).toBe('met');
    expect((await timelineOf(h.db, key)).some((e) => e.kind === 'deadline.met' && e.data.name === 'stakeholders')).toBe(
      true,
    );
  });

  it('meets the root cause deadline when its step is done in time', async () => {
    const { key, channel, ts } = await h.open('critical api down in all regions');
    await h.advance(20 * MINUTE);
    await h.slack.click({ user: ADA, channel, ts, actionId: 'step.done.4' });
    await h.settle();
    expect((await deadlines(key))['root-cause']).toBe('met');
    await h.advance(15 * MINUTE);
    expect(
      (await timelineOf(h.db, key)).filter((e) => e.kind === 'deadline.missed').map((e) => e.data.name),
    ).not.toContain('root-cause');
  });

  it('reminds the commander shortly before a deadline, then records it missed and says so', async () => {
    const { key, channel, ts } = await h.open('critical api down in all regions');
    await h.advance(24 * MINUTE);
    expect(h.slack.thread(channel, ts).some((m) => m.text.startsWith('Reminder: Root cause analysis'))).toBe(false);
    await h.advance(1 * MINUTE); // 5 minutes before the 30-minute deadline
    const reminder = h.slack.thread(channel, ts).find((m) => m.text.startsWith('Reminder: Root cause analysis'))!;
    expect(JSON.stringify(reminder.blocks)).toContain(`<@${ADA}>`);
    await h.advance(5 * MINUTE);
    expect((await deadlines(key))['root-cause']).toBe('missed');
    expect(h.slack.thread(channel, ts).some((m) => m.text === 'Missed: Root cause analysis')).toBe(true);
    expect(JSON.stringify(h.slack.message(channel, ts)!.blocks)).toMatch(/:x: \*Root cause analysis\* — missed/);
    const kinds = (await timelineOf(h.db, key))
      .filter((e) => e.kind.startsWith('deadline.'))
      .map((e) => `${e.kind}:${e.data.name}`);
    expect(kinds).toEqual(expect.arrayContaining(['deadline.reminded:root-cause', 'deadline.missed:root-cause']));
  });

  it('meets the report deadline when the report is posted within the hour', async () => {
    const { key } = await h.open('critical api down in all regions');
    await h.advance(40 * MINUTE);
    await h.slack.sendCommand({ text: `report ${key}`, user: ADA });
    await h.settle();
    expect((await deadlines(key)).report).toBe('met');
  });
});

describe('stakeholder notifications under Slack rate limits', () => {
  let h: Harness;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(new Date());
    h = await startHarness({ clock });
  });
  afterEach(() => h.stop());

  it('waits for Retry-After after a 429 and delivers the update once', async () => {
    await h.slack.sendCommand({ text: 'auth-401 login failing', user: ADA });
    await h.settle();
    const { rows } = await h.db.query<{ key: string; channel_id: string }>('SELECT key, channel_id FROM incidents');
    const { key, channel_id: channel } = rows[0]!;
    const since = h.slack.calls.length;
    h.slack.rateLimit('chat.postMessage', {
      times: 1,
      retryAfterSeconds: 30,
      match: (params) => params.channel === 'C0STAKEHOLD',
    });
    await h.slack.sendCommand({ text: 'severity sev1', user: ADA, channel });
    await h.settle();
    const limited = h.slack.calls.slice(since).filter((c) => c.method === 'chat.postMessage' && c.status === 429);
    expect(limited).toHaveLength(1);
    const severityUpdates = () =>
      h.slack
        .messages('C0STAKEHOLD')
        .concat(h.slack.messages('C0ENGINEER'), h.slack.messages('C0SUPPORT0'))
        .flatMap((m) => [m, ...h.slack.thread(m.channel, m.ts)])
        .filter((m) => m.text.includes('severity changed'));
    const deliveredBefore = severityUpdates().length;
    clock.advance(30_000);
    await h.settle();
    const delivered = severityUpdates();
    expect(delivered.length).toBe(deliveredBefore + 1);
    // Every stakeholder destination has the update exactly once.
    const perDestination = new Map<string, number>();
    for (const m of delivered) perDestination.set(m.channel, (perDestination.get(m.channel) ?? 0) + 1);
    expect([...perDestination.values()].every((n) => n === 1)).toBe(true);
    const recorded = (await timelineOf(h.db, key)).filter(
      (e) => e.kind === 'notification.sent' && e.data.reason === 'severity',
    );
    expect(recorded).toHaveLength(4); // leadership's channel and person, support, engineering
  });
});
