import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { RunningBot } from '../../src/bot.js';
import { overrideConfig } from '../support/config.js';
import { type Harness, startHarness } from '../support/harness.js';
import { FakeService } from '../support/targets.js';
import { timelineOf } from '../support/timeline.js';

const ADA = 'U0ONCALL01'; // in S0ROLLBACK
const GRACE = 'U0SECOND02'; // in S0ROLLBACK
const TOM = 'U0VIEWER04'; // not allowed
const MINUTE = 60_000;
const writeArg = "require('fs').writeFileSync(process.argv[1], process.argv[2])";

describe('rollbacks from buttons', () => {
  let h: Harness;
  let clock: ManualClock;
  let deploy: FakeService;
  let dir: string;
  let replica: RunningBot;

  beforeAll(async () => {
    clock = new ManualClock(new Date());
    deploy = await FakeService.start({
      'POST /deployments/rollback': () => ({ status: 202, body: { accepted: true } }),
    });
    dir = await mkdtemp(join(tmpdir(), 'actions-'));
    h = await startHarness({
      clock,
      config: (base) =>
        overrideConfig(
          base,
          {
            actions: {
              'redis-rollback': {
                kind: 'command',
                title: 'Roll back Redis connection logic',
                argv: [process.execPath, '-e', writeArg, join(dir, 'redis-rollback'), '{incident.key}'],
                allowed: { usergroups: ['S0ROLLBACK'] },
                target_time: '5m',
                timeout: '10s',
              },
              'database-rollback': {
                kind: 'http',
                title: 'Roll back the database package',
                url: `${deploy.url}/deployments/rollback`,
                body: '{"incident": "{incident.key}", "by": "{requester}"}',
                headers: { Authorization: 'Bearer ${DEPLOY_TOKEN}' },
                allowed: { usergroups: ['S0ROLLBACK'] },
                approval: 'required',
                approval_expires: '10m',
                target_time: '15m',
              },
              'webhook-rollback': {
                kind: 'command',
                title: 'Roll back webhook initialisation',
                argv: [process.execPath, '-e', 'setTimeout(() => {}, 60000)'],
                allowed: { users: [ADA] },
                timeout: '500ms',
                target_time: '200ms',
              },
              'cache-disable': {
                kind: 'command',
                title: 'Turn the cache off',
                argv: [
                  process.execPath,
                  '-e',
                  "require('fs').writeFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)))",
                  join(dir, 'argv'),
                  '--reason={incident.summary}',
                  '{incident.summary}',
                  '{requester}',
                ],
                allowed: { users: [ADA] },
                allow_person_text: true,
              },
              'telemetry-rollback': {
                kind: 'command',
                title: 'Re-enable FluentBit',
                argv: [process.execPath, '-e', writeArg, join(dir, 'telemetry'), 'ran'],
                allowed: { users: [ADA] },
                dry_run: true,
              },
            },
          },
          { DEPLOY_TOKEN: 'deploy-token-secret-77' },
        ),
    });
    replica = await h.startReplica();
  });
  afterAll(async () => {
    await h.stop();
    await deploy.close();
  });

  const kinds = async (key: string) =>
    (await timelineOf(h.db, key)).filter((e) => e.kind.startsWith('action.')).map((e) => `${e.kind}:${e.actor}`);
  const approvalIn = (channel: string, ts: string) =>
    h.slack.thread(channel, ts).find((m) => m.text.startsWith('Approval needed'))!;

  it('puts a confirm dialog on the rollback button saying what runs, where and the target time', async () => {
    const { channel, ts } = await h.open('redis-down confirm dialog');
    const button =
      JSON.stringify(h.slack.message(channel, ts)!.blocks).match(
        /"action_id":"action\.request\.redis-rollback".*?"confirm":\{.*?\}\}/,
      )?.[0] ?? '';
    expect(button).toContain('Run \\"Roll back Redis connection logic\\"?');
    expect(button).toContain('within 5m');
    expect(button).toContain('redis-rollback');
  });

  it('runs for an allowed person: the command writes its file, the thread says started and succeeded, all in the timeline', async () => {
    const { key, channel, ts } = await h.open('redis-down allowed');
    await h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.redis-rollback' });
    await h.settle();
    expect(await readFile(join(dir, 'redis-rollback'), 'utf8')).toBe(key);
    const thread = h.slack.thread(channel, ts).map((m) => m.text);
    expect(thread).toEqual(
      expect.arrayContaining([
        'Roll back Redis connection logic started',
        'Roll back Redis connection logic: succeeded',
      ]),
    );
    expect(await kinds(key)).toEqual([
      'action.requested:U0ONCALL01',
      'action.started:U0ONCALL01',
      'action.finished:system',
    ]);
    const finished = (await timelineOf(h.db, key)).find((e) => e.kind === 'action.finished')!;
    expect(finished.data).toMatchObject({ outcome: 'succeeded', targetMs: 5 * MINUTE, targetMissed: false });
  });

  it('refuses someone not allowed, says why privately, records it, and runs nothing', async () => {
    const { key, channel, ts } = await h.open('redis-down refused');
    // Tom may change the incident (he is in its channel) but is not on the rollback's list.
    h.slack.joinChannel(channel, TOM);
    await h.slack.click({ user: TOM, channel, ts, actionId: 'action.request.redis-rollback' });
    await h.settle();
    expect(
      h.slack
        .ephemerals({ user: TOM })
        .some((e) => e.text.includes('You are not allowed to run *Roll back Redis connection logic*')),
    ).toBe(true);
    expect(await kinds(key)).toEqual(['action.refused:U0VIEWER04']);
  });

  it('needs a second person: self-approval is refused, another allowed person approves, and it runs once', async () => {
    const { key, channel, ts } = await h.open('database migration broke queries');
    await h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.database-rollback' });
    await h.settle();
    const approval = approvalIn(channel, ts);
    const runId = JSON.stringify(approval.blocks).match(/action\.approve\.(\d+)/)![1]!;
    await h.slack.click({ user: ADA, channel, ts: approval.ts, actionId: `action.approve.${runId}` });
    await h.settle();
    expect(h.slack.ephemerals({ user: ADA }).some((e) => e.text.includes('someone else must approve it'))).toBe(true);
    expect(deploy.requests.filter((r) => r.url === '/deployments/rollback')).toHaveLength(0);
    await h.slack.click({ user: GRACE, channel, ts: approval.ts, actionId: `action.approve.${runId}` });
    await h.settle();
    const calls = deploy.requests.filter((r) => r.url === '/deployments/rollback');
    expect(calls).toHaveLength(1);
    expect(JSON.parse(calls[0]!.body)).toEqual({ incident: key, by: ADA });
    expect(calls[0]!.headers.authorization).toBe('Bearer deploy-token-secret-77');
    expect(await kinds(key)).toEqual([
      'action.requested:U0ONCALL01',
      'action.refused:U0ONCALL01',
      'action.approved:U0SECOND02',
      'action.started:U0SECOND02',
      'action.finished:system',
    ]);
    expect(JSON.stringify(h.slack.message(channel, approval.ts)!.blocks)).toContain(`Approved by <@${GRACE}>`);
    expect(JSON.stringify(h.slack.calls)).not.toContain('deploy-token-secret-77');
  });

  it('lets an approval request expire after its window, and then nothing runs', async () => {
    const { key, channel, ts } = await h.open('database expire test');
    await h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.database-rollback' });
    await h.settle();
    const approval = approvalIn(channel, ts);
    const runId = JSON.stringify(approval.blocks).match(/action\.approve\.(\d+)/)![1]!;
    clock.advance(11 * MINUTE);
    await h.settle();
    expect(JSON.stringify(h.slack.message(channel, approval.ts)!.blocks)).toContain('The request expired');
    await h.slack
      .click({ user: GRACE, channel, ts: approval.ts, actionId: `action.approve.${runId}` })
      .catch(() => undefined);
    await h.settle();
    expect(await kinds(key)).toEqual(['action.requested:U0ONCALL01', 'action.expired:system']);
  });

  it('runs once under a double click, a retried request and the same click on two replicas', async () => {
    const { key, channel, ts } = await h.open('redis-down clicked many ways');
    const actionTs = '1763900000.000200';
    const clicks = [
      h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.redis-rollback', actionTs }),
      h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.redis-rollback' }),
      h.slack.click({ user: GRACE, channel, ts, actionId: 'action.request.redis-rollback' }),
    ];
    h.slack.connectBot(`${replica.url}/slack/events`);
    clicks.push(
      h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.redis-rollback', actionTs, retryNum: 1 }),
    );
    await Promise.all(clicks);
    h.slack.connectBot(`${h.bot.url}/slack/events`);
    await h.settle();
    const { rows } = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM action_runs r JOIN incidents i ON i.id = r.incident_id WHERE i.key = $1`,
      [key],
    );
    expect(rows[0]!.n).toBe(1);
    expect((await kinds(key)).filter((k) => k.startsWith('action.started'))).toHaveLength(1);
  });

  it('kills a command that runs past its timeout and says the target was missed plainly', async () => {
    const { key, channel, ts } = await h.open('webhooks deliveries failing');
    await h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.webhook-rollback' });
    await h.settle();
    const finished = (await timelineOf(h.db, key)).find((e) => e.kind === 'action.finished')!;
    expect(finished.data).toMatchObject({ outcome: 'timed_out', targetMissed: true });
    const said = h.slack.thread(channel, ts).find((m) => m.text.includes('timed out'))!;
    expect(JSON.stringify(said.blocks)).toContain('Missed the 200 ms time-to-rollback target');
  });

  it('runs nothing in a dry run, and the timeline says so', async () => {
    const { key, channel, ts } = await h.open('telemetry exports failing');
    await h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.telemetry-rollback' });
    await h.settle();
    await expect(readFile(join(dir, 'telemetry'), 'utf8')).rejects.toThrow();
    const events = (await timelineOf(h.db, key)).filter((e) => e.kind.startsWith('action.'));
    expect(events.find((e) => e.kind === 'action.started')!.data).toMatchObject({ dryRun: true });
    expect(events.find((e) => e.kind === 'action.finished')!.data).toMatchObject({ outcome: 'dry_run' });
    expect(h.slack.thread(channel, ts).some((m) => m.text.includes('dry run finished: nothing ran'))).toBe(true);
  });

  it('passes plain typed text into placeholders as one argument each, never to a shell', async () => {
    const typed = 'redis-7 down since 10:42 see https://status.example/x_y.z';
    const { channel, ts } = await h.open(`cache-miss ${typed}`);
    await h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.cache-disable' });
    await h.settle();
    expect(JSON.parse(await readFile(join(dir, 'argv'), 'utf8'))).toEqual([`--reason=${typed}`, typed, ADA]);
  });

  it('refuses typed text with shell syntax in an argument with a sentence, and runs nothing', async () => {
    const hostile = '; rm -rf / $(touch pwned) `id` \'quoted\' "double" ünïcode';
    const { key, channel, ts } = await h.open(`cache-miss ${hostile}`);
    await h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.cache-disable' });
    await h.settle();
    expect(
      h.slack.ephemerals({ user: ADA }).some((e) => e.text.includes('only letters, digits, spaces and . _ : / -')),
    ).toBe(true);
    expect(await kinds(key)).toEqual([]);
    await expect(readFile(join(process.cwd(), 'pwned'))).rejects.toThrow();
  });

  it('refuses a typed value that would become an option, and runs nothing', async () => {
    const { key, channel, ts } = await h.open('cache-miss --force');
    await h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.cache-disable' });
    await h.settle();
    expect(h.slack.ephemerals({ user: ADA }).some((e) => /start with .-|option/i.test(e.text))).toBe(true);
    expect(await kinds(key)).toEqual([]);
  });

  it('refuses forged button values and action names with shell syntax', async () => {
    const { key, channel, ts } = await h.open('redis-down forged');
    await h.slack.click({
      user: ADA,
      channel,
      ts,
      actionId: 'action.request.redis-rollback',
      value: `0:redis-rollback;rm -rf /`,
    });
    await h.slack.sendCommand({ text: 'rollback redis-rollback;rm -rf /', user: ADA, channel });
    await h.slack.sendCommand({ text: 'rollback $(reboot)', user: ADA, channel });
    await h.settle();
    expect(await kinds(key)).toEqual([]);
    expect(
      h.slack
        .ephemerals({ user: ADA })
        .filter((e) => e.text.includes('older version') || e.text.includes('has no action')).length,
    ).toBe(3);
  });

  it("lists an incident's rollbacks on /incident rollback and requests one by name", async () => {
    const { key, channel } = await h.open('redis-down by command');
    await h.slack.sendCommand({ text: 'rollback', user: ADA, channel });
    await h.settle();
    const list = await h.slack.waitFor(() =>
      h.slack.ephemerals({ user: ADA }).find((e) => e.text === `Rollbacks for ${key}`),
    );
    expect(JSON.stringify(list.blocks)).toContain('action.request.redis-rollback');
    await h.slack.sendCommand({ text: 'rollback redis-rollback', user: ADA, channel });
    await h.settle();
    expect(await readFile(join(dir, 'redis-rollback'), 'utf8')).toBe(key);
  });
});
