import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { ActionConfig } from '../../src/config/actions.js';
import { overrideConfig } from '../support/config.js';
import { type Harness, startHarness } from '../support/harness.js';
import { FakeService } from '../support/targets.js';
import { timelineOf } from '../support/timeline.js';

const ADA = 'U0ONCALL01'; // in S0ROLLBACK
const GRACE = 'U0SECOND02'; // in S0ROLLBACK
const MINUTE = 60_000;
const writeArg = "require('fs').writeFileSync(process.argv[1], process.argv[2])";

/** Approvals through signed requests: only while the request may run, and exactly the plan that was approved. */
describe('approving an action', () => {
  let h: Harness;
  let clock: ManualClock;
  let deploy: FakeService;
  let dir: string;

  beforeAll(async () => {
    clock = new ManualClock(new Date());
    deploy = await FakeService.start({
      'POST /deployments/rollback': () => ({ status: 202, body: { accepted: true } }),
      'POST /deployments/other': () => ({ status: 202, body: { accepted: true } }),
    });
    dir = await mkdtemp(join(tmpdir(), 'approval-'));
    h = await startHarness({
      clock,
      config: (base) =>
        overrideConfig(
          base,
          {
            actions: {
              'database-rollback': {
                kind: 'http',
                title: 'Roll back the database package',
                url: `${deploy.url}/deployments/rollback?token=\${DEPLOY_TOKEN}`,
                body: '{"incident": "{incident.key}", "by": "{requester}", "approver": "{approver}"}',
                headers: { Authorization: 'Bearer ${DEPLOY_TOKEN}' },
                allowed: { usergroups: ['S0ROLLBACK'] },
                approval: 'required',
                approval_expires: '10m',
              },
              'redis-rollback': {
                kind: 'command',
                title: 'Roll back Redis connection logic',
                argv: [process.execPath, '-e', writeArg, join(dir, 'approved'), '{incident.key} by {approver}'],
                allowed: { usergroups: ['S0ROLLBACK'] },
                approval: 'required',
                approval_expires: '10m',
              },
            },
          },
          { DEPLOY_TOKEN: 'deploy-token-secret-88' },
        ),
    });
  });
  afterAll(async () => {
    await h.stop();
    await deploy.close();
  });

  const kinds = async (key: string) =>
    (await timelineOf(h.db, key)).filter((e) => e.kind.startsWith('action.')).map((e) => `${e.kind}:${e.actor}`);
  const refusalReasons = async (key: string) =>
    (await timelineOf(h.db, key)).filter((e) => e.kind === 'action.refused').map((e) => e.data.reason);
  const rollbackCalls = () => deploy.requests.filter((r) => r.url.startsWith('/deployments/rollback'));

  async function requestApproval(text: string, action = 'database-rollback') {
    const opened = await h.open(text);
    await h.slack.click({ user: ADA, channel: opened.channel, ts: opened.ts, actionId: `action.request.${action}` });
    await h.settle();
    const approval = h.slack.thread(opened.channel, opened.ts).find((m) => m.text.startsWith('Approval needed'))!;
    const runId = JSON.stringify(approval.blocks).match(/action\.approve\.(\d+)/)![1]!;
    const seen = structuredClone(approval.blocks ?? []);
    // As the approver's client shows it, even after the message lost its buttons.
    const approve = async (user = GRACE) => {
      await h.slack.click({
        user,
        channel: opened.channel,
        ts: approval.ts,
        actionId: `action.approve.${runId}`,
        staleBlocks: seen,
      });
      await h.settle();
    };
    return { ...opened, approval, runId, approve };
  }

  it('cancels pending requests when the incident is resolved, says so on the request, and refuses a later approval', async () => {
    const { key, channel, approval, approve } = await requestApproval('database migration resolved first');
    await h.slack.sendCommand({ text: 'resolve', user: ADA, channel });
    await h.settle();
    expect(JSON.stringify(h.slack.message(channel, approval.ts)!.blocks)).toContain(
      'Cancelled: the incident was resolved',
    );
    await approve();
    expect(
      h.slack
        .ephemerals({ user: GRACE })
        .some((e) => e.text.includes(`${key} is resolved, so *Roll back the database package* will not run`)),
    ).toBe(true);
    expect(rollbackCalls()).toHaveLength(0);
    expect(await kinds(key)).toEqual([
      'action.requested:U0ONCALL01',
      'action.cancelled:U0ONCALL01',
      'action.refused:U0SECOND02',
    ]);
    expect(await refusalReasons(key)).toEqual(['incident resolved']);
  });

  it('refuses an approval after the request expired, even before the expiry was processed', async () => {
    const { key, approve } = await requestApproval('database migration approved too late');
    clock.advance(11 * MINUTE); // no settle: the expiry work has not run yet
    await approve();
    expect(
      h.slack.ephemerals({ user: GRACE }).some((e) => e.text.includes('That request expired before it was approved')),
    ).toBe(true);
    expect(rollbackCalls()).toHaveLength(0);
    expect(await kinds(key)).toEqual([
      'action.requested:U0ONCALL01',
      'action.expired:system',
      'action.refused:U0SECOND02',
    ]);
    expect(await refusalReasons(key)).toEqual(['expired']);
  });

  it('refuses an approval of a request that is no longer pending (denied), with a sentence and an event', async () => {
    const { key, channel, approval, runId, approve } = await requestApproval('database migration denied');
    await h.slack.click({ user: GRACE, channel, ts: approval.ts, actionId: `action.deny.${runId}` });
    await h.settle();
    await approve();
    expect(h.slack.ephemerals({ user: GRACE }).some((e) => e.text.includes('That request is already denied'))).toBe(
      true,
    );
    expect(rollbackCalls()).toHaveLength(0);
    expect(await refusalReasons(key)).toEqual(expect.arrayContaining(['no longer pending (denied)']));
  });

  it('runs the plan kept at request time when the config changed before the approval', async () => {
    const { key, approve } = await requestApproval('database migration config changed');
    const before = h.config.actions['database-rollback'] as Extract<ActionConfig, { kind: 'http' }>;
    // Same server, another path, body and token: the kept path and body run, with the token of the moment.
    h.config.actions['database-rollback'] = {
      ...before,
      url: `${deploy.url}/deployments/other?token=rotated-token-99`,
      body: '{"changed": true}',
    };
    try {
      await approve();
    } finally {
      h.config.actions['database-rollback'] = before;
    }
    expect(deploy.requests.filter((r) => r.url.startsWith('/deployments/other'))).toHaveLength(0);
    const calls = rollbackCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('/deployments/rollback?token=rotated-token-99');
    expect(JSON.parse(calls[0]!.body)).toEqual({ incident: key, by: ADA, approver: GRACE });
    expect(calls[0]!.headers.authorization).toBe('Bearer deploy-token-secret-88');
    const requested = (await timelineOf(h.db, key)).find((e) => e.kind === 'action.requested')!;
    expect(JSON.stringify(requested.data)).not.toContain('deploy-token-secret-88');
    const { rows } = await h.db.query<{ resolved_plan: unknown }>(
      'SELECT resolved_plan FROM action_runs r JOIN incidents i ON i.id = r.incident_id WHERE i.key = $1',
      [key],
    );
    expect(JSON.stringify(rows[0]!.resolved_plan)).not.toContain('deploy-token-secret-88');
  });

  it('sends no credential when the config now points the action at another server', async () => {
    const { key, approve } = await requestApproval('database migration moved');
    const before = h.config.actions['database-rollback'] as Extract<ActionConfig, { kind: 'http' }>;
    h.config.actions['database-rollback'] = { ...before, url: 'http://127.0.0.1:9/deployments/rollback?token=other' };
    try {
      await approve();
    } finally {
      h.config.actions['database-rollback'] = before;
    }
    const finished = (await timelineOf(h.db, key)).find((e) => e.kind === 'action.finished')!;
    expect(finished.data).toMatchObject({ outcome: 'failed' });
    expect(String(finished.data.error)).toContain('request it again');
  });

  it('runs the kept argv of a command action, with the approver filled in, when its argv changed meanwhile', async () => {
    const { key, approve } = await requestApproval('redis-down config changed', 'redis-rollback');
    const before = h.config.actions['redis-rollback'] as Extract<ActionConfig, { kind: 'command' }>;
    h.config.actions['redis-rollback'] = {
      ...before,
      argv: [process.execPath, '-e', writeArg, join(dir, 'changed'), 'x'],
    };
    try {
      await approve();
    } finally {
      h.config.actions['redis-rollback'] = before;
    }
    expect(await readFile(join(dir, 'approved'), 'utf8')).toBe(`${key} by ${GRACE}`);
    await expect(readFile(join(dir, 'changed'), 'utf8')).rejects.toThrow();
  });
});
