import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { scheduledJobs } from '../../src/scheduler/jobs.js';
import { overrideConfig } from '../support/config.js';
import { type Harness, startHarness } from '../support/harness.js';
import { FakeService } from '../support/targets.js';
import { timelineOf } from '../support/timeline.js';

const MINUTE = 60_000;

describe('scheduled check groups', () => {
  let h: Harness;
  let clock: ManualClock;
  let service: FakeService;

  beforeAll(async () => {
    clock = new ManualClock(new Date('2026-11-23T03:00:00Z'));
    service = await FakeService.start();
    h = await startHarness({
      clock,
      config: (base) =>
        overrideConfig(base, {
          checks: {
            'app-health': {
              kind: 'http',
              url: `${service.url}/health`,
              timeout: '1s',
              retries: 0,
              expect: { status: 200 },
            },
          },
          groups: {
            watch: {
              checks: ['app-health'],
              schedule: '* * * * *',
              open_after_failures: 3,
              playbook: 'critical',
              severity: 'sev2',
            },
          },
        }),
    });
  });
  afterAll(async () => {
    await h.stop();
    await service.close();
  });

  it('opens exactly one incident after N failed runs, even with two replicas woken by every tick, and says when it recovers', async () => {
    const replica = await h.startReplica();
    const watchOn = (bot: typeof replica) =>
      scheduledJobs(bot.deps!, bot.worker!).find((j) => j.name === 'group:watch')!;
    const jobs = [watchOn(h.bot), watchOn(replica)];
    const tick = async () => {
      clock.advance(MINUTE);
      await Promise.all(jobs.map((j) => j.run())); // both replicas wake on the same cron tick
      await h.settle();
    };
    service.health = { status: 503, body: { status: 'unhealthy' } };
    for (let i = 0; i < 6; i++) await tick();
    const { rows } = await h.db.query<{
      key: string;
      playbook_id: string;
      severity: string;
      opened_by: string;
      channel_id: string;
      message_ts: string;
    }>('SELECT key, playbook_id, severity, opened_by, channel_id, message_ts FROM incidents');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ playbook_id: 'critical', severity: 'sev2', opened_by: 'system' });
    const { key, channel_id: channel, message_ts: ts } = rows[0]!;
    const { rows: state } = await h.db.query<{ consecutive_failures: number }>(
      "SELECT consecutive_failures FROM check_groups WHERE name = 'watch'",
    );
    expect(state[0]!.consecutive_failures).toBe(6); // six ticks, each run once
    expect(JSON.stringify(h.slack.message(channel, ts)!.blocks)).toContain('failed 3 times in a row');
    expect(
      h.slack.thread(channel, ts).some((m) => m.text.startsWith('Health watch') && m.text.includes('1 of 1 failed')),
    ).toBe(true);
    expect((await timelineOf(h.db, key)).filter((e) => e.kind === 'check.result' && e.data.scheduled)).toHaveLength(1);

    service.health = { status: 200, body: { status: 'healthy' } };
    await tick();
    expect(h.slack.thread(channel, ts).some((m) => m.text.includes('pass again after 6 failed runs'))).toBe(true);
    await tick();
    expect(h.slack.thread(channel, ts).filter((m) => m.text.includes('pass again'))).toHaveLength(1);
  });
});
