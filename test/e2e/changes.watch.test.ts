import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { playbookSchema } from '../../src/playbooks/schema.js';
import { overrideConfig } from '../support/config.js';
import { type Harness, startHarness } from '../support/harness.js';
import { FakeService } from '../support/targets.js';
import { timelineOf } from '../support/timeline.js';

const ADA = 'U0ONCALL01';
const MINUTE = 60_000;

/** A small change runbook: one step, one gate a person judges, then a watch of two windows side by side. */
const release = playbookSchema.parse({
  kind: 'change',
  id: 'small-release',
  title: 'A small release',
  symptom: 'A release to watch after it goes out.',
  severity: 'sev3',
  source: { document: '001', section: 'Post-Deployment Monitoring' },
  steps: [{ title: 'Deploy the new version' }],
  gates: [{ name: 'deployed', title: 'The new version answers', after_step: 1 }],
  watch: {
    windows: [
      { every: '1m', for: '5m', checks: ['app-health'] },
      { every: '2m', for: '4m', checks: ['app-health'] },
    ],
    failures_in_a_row: 2,
    opens: 'critical',
  },
  rollback: ['service-restart'],
});

describe('a change’s post-deploy watch', () => {
  let h: Harness;
  let service: FakeService;
  let channel: string;
  let ts: string;
  let clock: ManualClock;

  beforeEach(async () => {
    service = await FakeService.start();
    clock = new ManualClock(new Date('2026-12-07T10:00:00Z'));
    h = await startHarness({
      clock,
      extraPlaybooks: [release],
      config: (base) =>
        overrideConfig(base, {
          checks: { 'app-health': { kind: 'http', url: `${service.url}/health`, timeout: '2s', retries: 0 } },
        }),
    });
    await h.slack.sendCommand({ text: 'change small-release v2', user: ADA, channel: 'C0ENGINEER' });
    await h.settle();
    const { rows } = await h.db.query<{ channel_id: string; message_ts: string }>(
      `SELECT channel_id, message_ts FROM incidents WHERE key = 'CHG-1'`,
    );
    ({ channel_id: channel, message_ts: ts } = rows[0]!);
  });
  afterEach(async () => {
    await h.stop();
    await service.close();
  });

  const goLive = async () => {
    await h.slack.click({ user: ADA, channel, ts, actionId: 'step.done.1' });
    await h.settle();
    await h.slack.click({ user: ADA, channel, ts, actionId: 'gate.go.1' });
    await h.settle();
  };
  const live = () => JSON.stringify(h.slack.message(channel, ts)?.blocks ?? []);
  const windows = async () =>
    (
      await h.db.query<{ window_no: number; runs: number; state: string }>(
        'SELECT window_no, runs, state FROM change_watches ORDER BY window_no',
      )
    ).rows;
  const status = async (key: string) =>
    (await h.db.query<{ status: string }>('SELECT status FROM incidents WHERE key = $1', [key])).rows[0]?.status;

  it('starts at the last GO, runs each window on its own clock, and completes the change when both pass', async () => {
    await goLive();
    const started = (await timelineOf(h.db, 'CHG-1')).find((e) => e.kind === 'change.watch_started');
    expect(started?.data).toMatchObject({
      windows: [
        { window: 1, everyMs: MINUTE },
        { window: 2, everyMs: 2 * MINUTE },
      ],
    });
    expect(live()).toContain('Post-deploy watch');
    expect(live()).toContain('Watching until');
    expect(await status('CHG-1')).toBe('open');
    for (let minute = 1; minute <= 5; minute++) await h.advance(MINUTE);
    // 1m for 5m: runs at 0, 1, 2, 3, 4; 2m for 4m: at 0 and 2.
    expect(await windows()).toEqual([
      { window_no: 1, runs: 5, state: 'passed' },
      { window_no: 2, runs: 2, state: 'passed' },
    ]);
    const kinds = (await timelineOf(h.db, 'CHG-1')).map((e) => e.kind);
    expect(kinds.indexOf('change.completed')).toBeGreaterThan(kinds.indexOf('change.watch_passed'));
    expect(await status('CHG-1')).toBe('resolved');
    expect((await h.db.query("SELECT 1 FROM incidents WHERE kind = 'incident'")).rowCount).toBe(0);
  });

  it('opens one incident after two failed runs in a row, linked both ways, with the change’s rollback first', async () => {
    service.health = { status: 503, body: { status: 'down' } };
    await goLive();
    await h.advance(MINUTE);
    await h.advance(MINUTE);
    await h.advance(MINUTE);
    const incidents = await h.db.query<{ key: string; playbook_id: string; channel_id: string; message_ts: string }>(
      "SELECT key, playbook_id, channel_id, message_ts FROM incidents WHERE kind = 'incident'",
    );
    expect(incidents.rows).toHaveLength(1);
    const incident = incidents.rows[0]!;
    expect(incident.playbook_id).toBe('critical');
    const change = await timelineOf(h.db, 'CHG-1');
    expect(change.filter((e) => e.kind === 'change.watch_failed').length).toBeGreaterThanOrEqual(2);
    expect(change.find((e) => e.kind === 'change.watch_tripped')?.data).toMatchObject({ incident: incident.key });
    const linked = (await timelineOf(h.db, incident.key)).find((e) => e.kind === 'incident.from_change');
    expect(linked?.data).toMatchObject({ change: 'CHG-1', checks: ['app-health'] });
    // Every window stopped: no run after the trip.
    expect((await windows()).map((w) => w.state).sort()).toEqual(['stopped', 'tripped']);
    await h.advance(MINUTE);
    expect((await h.db.query("SELECT 1 FROM incidents WHERE kind = 'incident'")).rowCount).toBe(1);
    // The incident's rollback buttons start with the change's.
    await h.settle();
    const blocks = h.slack.message(incident.channel_id, incident.message_ts)?.blocks ?? [];
    const rollback = blocks.find((b) => b.block_id === 'incident.rollback') as unknown as {
      elements: Array<{ action_id: string }>;
    };
    expect(rollback.elements[0]!.action_id).toBe('action.request.service-restart');
    expect(JSON.stringify(blocks)).toContain("CHG-1's first");
    expect(live()).toContain(`Watch tripped: ${incident.key} opened`);
    await h.slack.sendCommand({ text: 'change status', user: ADA, channel: 'C0ENGINEER' });
    await h.settle();
    const said = await h.slack.waitFor(
      () => h.slack.ephemerals({ user: ADA }).find((e) => e.text.includes('Open changes')),
      { what: 'change status' },
    );
    expect(said.text).toContain('the post-deploy watch tripped');
    expect(await status('CHG-1')).toBe('open');
  });

  it('runs each window once per period with two replicas, and goes on after one stops', async () => {
    const replica = await h.startReplica();
    await goLive();
    await h.advance(MINUTE);
    await replica.stop();
    for (let minute = 2; minute <= 5; minute++) await h.advance(MINUTE);
    expect(await windows()).toEqual([
      { window_no: 1, runs: 5, state: 'passed' },
      { window_no: 2, runs: 2, state: 'passed' },
    ]);
    const health = service.requests.filter((r) => r.url === '/health');
    expect(health).toHaveLength(7);
    expect(await status('CHG-1')).toBe('resolved');
  });

  it('goes on after a restart: the overdue run once when the bot is back, then on its slots, to the end', async () => {
    await goLive();
    await h.advance(MINUTE);
    await h.bot.stop();
    clock.advance(2 * MINUTE + 30_000);
    const restarted = await h.startReplica();
    h.slack.connectBot(`${restarted.url}/slack/events`);
    await h.settle();
    // Window 1 ran at 0 and 1, then once at 3:30 for the run due at 2 (3 was missed), next at 4.
    expect((await windows())[0]).toEqual({ window_no: 1, runs: 3, state: 'watching' });
    for (let step = 0; step < 4; step++) await h.advance(30_000);
    expect(await windows()).toEqual([
      { window_no: 1, runs: 4, state: 'passed' },
      { window_no: 2, runs: 2, state: 'passed' },
    ]);
    expect(await status('CHG-1')).toBe('resolved');
  });
});
