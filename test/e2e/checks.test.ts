import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/harness.js';
import { overrideConfig } from '../support/config.js';
import { DATABASE_URL, REDIS_URL } from '../support/env.js';
import { FakeService, closedPort, hungServer } from '../support/targets.js';
import { timelineOf } from '../support/timeline.js';

const ADA = 'U0ONCALL01';

describe('health checks from Slack, against real targets', () => {
  let h: Harness;
  let service: FakeService;
  let hung: Awaited<ReturnType<typeof hungServer>>;

  beforeAll(async () => {
    service = await FakeService.start();
    hung = await hungServer();
    const closed = await closedPort();
    h = await startHarness({
      config: (base) =>
        overrideConfig(base, {
          checks: {
            'app-health': {
              kind: 'http',
              url: `${service.url}/health`,
              timeout: '2s',
              retries: 0,
              expect: {
                status: 200,
                json: [
                  { path: 'status', equals: 'healthy' },
                  { path: 'services.*', equals: 'healthy' },
                ],
              },
            },
            'api-port': {
              kind: 'tcp',
              host: '127.0.0.1',
              port: closed,
              timeout: '1s',
              retries: 1,
              backoff: { initial: '10ms', max: '20ms' },
            },
            database: { kind: 'postgres', url: DATABASE_URL, timeout: '3s', retries: 0 },
            redis: {
              kind: 'redis',
              url: REDIS_URL,
              timeout: '2s',
              retries: 0,
              info: [{ field: 'evicted_keys', op: '==', value: 0 }],
            },
            'hung-api': {
              kind: 'http',
              url: `http://127.0.0.1:${hung.port}/health`,
              timeout: '300ms',
              retries: 1,
              backoff: { initial: '10ms', max: '20ms' },
            },
            'worker-script': {
              kind: 'command',
              argv: [process.execPath, '-e', 'console.log("queue depth 0"); process.exit(0)'],
              timeout: '5s',
              retries: 0,
              expect: { output_contains: 'queue depth' },
            },
          },
          groups: {
            core: { checks: ['app-health', 'api-port', 'database', 'redis'] },
            stuck: { checks: ['hung-api', 'worker-script'] },
          },
        }),
    });
  });
  afterAll(async () => {
    await h.stop();
    await service.close();
    await hung.close();
  });

  const stepState = async (key: string, step: number) =>
    (
      await h.db.query<{ state: string; detail: string | null }>(
        'SELECT s.state, s.detail FROM step_states s JOIN incidents i ON i.id = s.incident_id WHERE i.key = $1 AND s.step = $2',
        [key, step],
      )
    ).rows[0];

  it('answers /incident health <group> outside an incident with one result per check, privately', async () => {
    await h.slack.sendCommand({ text: 'health core', user: ADA, channel: 'C0ENGINEER' });
    await h.settle();
    const shown = await h.slack.waitFor(() =>
      h.slack.ephemerals({ user: ADA }).find((e) => e.text.startsWith('Health core')),
    );
    const json = JSON.stringify(shown.blocks);
    expect(shown.text).toContain('1 of 4 failed');
    expect(json).toMatch(/large_green_circle: \*Application \/health\*|app-health/);
    expect(json).toContain('connection refused');
    expect(json).toContain('after 2 attempts');
  });

  it("runs a step's check from its button: running line, result in the thread, step done, an event per result", async () => {
    const { key, channel, ts } = await h.open('deploy-failed the release is up, is it healthy');
    await h.slack.click({ user: ADA, channel, ts, actionId: 'step.run.5' }); // app-health (document 002's /health)
    await h.settle();
    expect(await stepState(key, 5)).toMatchObject({ state: 'done' });
    const thread = h.slack.thread(channel, ts);
    expect(thread.some((m) => m.text === 'Running app-health')).toBe(true);
    expect(thread.some((m) => m.text.startsWith('Health app-health') && m.text.includes('all 1 passed'))).toBe(true);
    expect((await timelineOf(h.db, key)).filter((e) => e.kind === 'check.result')).toEqual([
      expect.objectContaining({
        actor: ADA,
        data: expect.objectContaining({ check: 'app-health', status: 'pass', step: 5 }),
      }),
    ]);
  });

  it('marks the step failed with the failing expectation in plain words', async () => {
    const { key, channel, ts } = await h.open('deploy-failed again');
    service.health = {
      status: 200,
      body: { status: 'healthy', services: { database: 'down', rag_service: 'healthy' } },
    };
    await h.slack.click({ user: ADA, channel, ts, actionId: 'step.run.5' });
    await h.settle();
    const state = await stepState(key, 5);
    expect(state?.state).toBe('failed');
    expect(state?.detail).toContain('services.database is "down", expected "healthy"');
    expect(JSON.stringify(h.slack.message(channel, ts)!.blocks)).toContain('services.database is');
    service.health = { status: 200, body: { status: 'healthy', services: { database: 'healthy' } } };
  });

  it('never lets a hung target hold the checks past their timeout, and runs the rest of the group alongside', async () => {
    await h.slack.sendCommand({ text: 'health stuck', user: ADA, channel: 'C0ENGINEER' });
    await h.settle();
    const shown = await h.slack.waitFor(() =>
      h.slack.ephemerals({ user: ADA }).find((e) => e.text.startsWith('Health stuck')),
    );
    const json = JSON.stringify(shown.blocks);
    expect(json).toContain('no answer within 300 ms');
    expect(json).toMatch(/worker-script.*pass/);
  });

  it('runs /incident health inside an incident into its thread and timeline', async () => {
    const { key, channel, ts } = await h.open('cannot-connect third time');
    await h.slack.sendCommand({ text: 'health redis', user: ADA, channel });
    await h.settle();
    expect(h.slack.thread(channel, ts).some((m) => m.text.startsWith('Health redis'))).toBe(true);
    expect(
      (await timelineOf(h.db, key)).some(
        (e) => e.kind === 'check.result' && e.data.check === 'redis' && e.data.status !== 'fail',
      ),
    ).toBe(true);
  });

  it('names the closest checks when the name is wrong', async () => {
    await h.slack.sendCommand({ text: 'health databse', user: ADA, channel: 'C0ENGINEER' });
    await h.settle();
    await h.slack.waitFor(() =>
      h.slack
        .ephemerals({ user: ADA })
        .find((e) => e.text.includes('There is no check or group `databse`') && e.text.includes('`database`')),
    );
  });
});
