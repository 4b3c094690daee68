import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { runCli } from '../../src/cli/index.js';
import { type Harness, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';

const ADA = 'U0ONCALL01';
const GRACE = 'U0SECOND02';
const MINUTE = 60_000;

describe('the incident report', () => {
  let h: Harness;
  let clock: ManualClock;
  let key: string;
  let channel: string;
  let ts: string;
  let report: string;

  beforeAll(async () => {
    clock = new ManualClock('2026-11-23T03:00:00Z');
    h = await startHarness({ clock });
    const step = async (minutes: number, act: () => Promise<unknown>) => {
      clock.set(new Date(Date.parse('2026-11-23T03:00:00Z') + minutes * MINUTE));
      await h.settle();
      await act();
      await h.settle();
    };
    await step(0, () => h.slack.sendCommand({ text: 'redis-down connections refused after deploy', user: ADA }));
    const { rows } = await h.db.query<{ key: string; channel_id: string; message_ts: string }>(
      'SELECT key, channel_id, message_ts FROM incidents',
    );
    ({ key, channel_id: channel, message_ts: ts } = rows[0]!);
    await step(3, () => h.slack.click({ user: ADA, channel, ts, actionId: 'step.done.1' }));
    await step(5, () => h.slack.click({ user: GRACE, channel, ts, actionId: 'incident.ack' }));
    await step(9, () =>
      h.slack.sendCommand({ text: 'note rolled back the redis connection change', user: GRACE, channel }),
    );
    await step(20, () => h.slack.sendCommand({ text: 'mitigate errors back to normal', user: ADA, channel }));
    await step(72, () =>
      h.slack.sendCommand({ text: 'resolve reverted commit, root cause in the connection pool', user: ADA, channel }),
    );
    // Resolving offers the report: its button is in the thread.
    const offer = h.slack
      .thread(channel, ts)
      .find((m) => JSON.stringify(m.blocks ?? []).includes('"incident.report"'))!;
    await step(75, () => h.slack.click({ user: ADA, channel, ts: offer.ts, actionId: 'incident.report' }));
    const upload = h.slack.thread(channel, ts).find((m) => m.files?.length)!;
    const file = h.slack.workspace.files.find((f) => f.id === upload.files![0]!.id)!;
    report = Buffer.from(file.content_base64!, 'base64').toString('utf8');
  });
  afterAll(() => h.stop());

  it("is posted as a Markdown file in the incident's thread and recorded", async () => {
    expect(report.startsWith(`# ${key} · Redis connection issues`)).toBe(true);
    expect((await timelineOf(h.db, key)).some((e) => e.kind === 'report.posted' && e.actor === ADA)).toBe(true);
  });

  it('gives the right times to acknowledge, mitigate and resolve', () => {
    expect(report).toContain('| Time to acknowledge | 5m |');
    expect(report).toContain('| Time to mitigate | 20m |');
    expect(report).toContain('| Time to resolve | 1h 12m |');
    expect(report).toContain('**Resolution:** reverted commit, root cause in the connection pool');
  });

  it('lists every timeline event, in order', async () => {
    const events = await timelineOf(h.db, key);
    const rows = report
      .slice(report.indexOf('## Timeline'))
      .split('\n')
      .filter((line) => /^\| 2026-/.test(line));
    // Everything up to the report; what posting it wrote comes after.
    expect(rows.length).toBe(events.length - 2);
    expect(
      events
        .slice(-2)
        .map((e) => e.kind)
        .sort(),
    ).toEqual(['deadline.met', 'report.posted']);
    expect(rows.filter((r) => r.includes('incident-bot')).length).toBe(
      events.slice(0, -2).filter((e) => e.actor === 'system').length,
    );
    const times = rows.map((r) => r.split('|')[1]!.trim());
    expect(times).toEqual([...times].sort());
    expect(rows[0]).toContain('opened the incident: connections refused after deploy');
    expect(rows.find((r) => r.includes('noted: rolled back the redis connection change'))).toContain('+9m');
  });

  it('says which deadlines were met and which missed', () => {
    const deadlines = report.slice(report.indexOf('## Deadlines'), report.indexOf('## Escalations'));
    expect(deadlines).toMatch(/Notify stakeholders \| .* \| met \|/);
    expect(deadlines).toMatch(/Root cause analysis \| .* \| missed \|/);
    expect(deadlines).toMatch(/Incident report \| .* \| missed \|/);
  });

  it('lists the escalations: level 1 paged, then stopped by the acknowledgement', () => {
    const escalations = report.slice(report.indexOf('## Escalations'), report.indexOf('## Steps'));
    expect(escalations).toContain('paged level 1');
    expect(escalations).toContain('escalation stopped: acknowledged');
  });

  it('is what `incidentbot export` prints', async () => {
    const lines: string[] = [];
    const env = { ...process.env };
    const database = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    process.env.DATABASE_URL = `${database}?options=-c%20search_path%3D${h.database.schema}`;
    try {
      expect(await runCli(['export', key], { out: (l = '') => lines.push(l), err: (l) => lines.push(l) })).toBe(0);
    } finally {
      process.env = env;
    }
    const printed = lines.join('\n');
    expect(printed.split('\n## Timeline')[0]).toEqual(report.split('\n## Timeline')[0]!.replace(/_Report made.*_/, ''));
  });
});
