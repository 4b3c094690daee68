import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { overrideConfig } from '../support/config.js';
import { captureLogs } from '../support/logs.js';
import { timelineOf } from '../support/timeline.js';
import { type FaultHarness, startFaultHarness } from './support/stack.js';

const ADA = 'U0ONCALL01'; // in S0ROLLBACK: asks
const GRACE = 'U0SECOND02'; // in S0ROLLBACK: approves
/** One line per run, so a second run would show. */
const appendArg = "require('fs').appendFileSync(process.argv[1], process.argv[2] + '\\n')";

/** PostgreSQL restarted while an approver presses Approve (issue 14, "during an approval"). */
describe('PostgreSQL restarted during an approval', () => {
  let h: FaultHarness;
  let ran: string;
  const logs = captureLogs('warn');
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    ran = join(await mkdtemp(join(tmpdir(), 'approval-fault-')), 'ran');
    h = await startFaultHarness({
      clock: new ManualClock(new Date()),
      log: logs.log,
      config: (base) =>
        overrideConfig(base, {
          actions: {
            'redis-rollback': {
              kind: 'command',
              title: 'Roll back Redis connection logic',
              argv: [process.execPath, '-e', appendArg, ran, '{incident.key} approved by {approver}'],
              allowed: { usergroups: ['S0ROLLBACK'] },
              approval: 'required',
              approval_expires: '10m',
            },
          },
        }),
    });
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await h.stop();
  });

  it('Approve pressed while PostgreSQL is away: a clear sentence and nothing runs; pressed again: it runs once', async () => {
    const { key, channel, ts } = await h.open('redis-down approval during an outage');
    await h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.redis-rollback' });
    await h.settle();
    const approval = h.slack.thread(channel, ts).find((m) => m.text.startsWith('Approval needed'))!;
    const runId = JSON.stringify(approval.blocks).match(/action\.approve\.(\d+)/)![1]!;
    const seen = structuredClone(approval.blocks ?? []); // as the approver's client still shows it later
    const approve = async () => {
      await h.slack.click({ user: GRACE, channel, ts: approval.ts, actionId: `action.approve.${runId}` });
      await h.settle();
    };
    const actionKinds = async () =>
      (await timelineOf(h.db, key)).filter((e) => e.kind.startsWith('action.')).map((e) => e.kind);
    const runState = async () =>
      (await h.db.query<{ state: string }>('SELECT state FROM action_runs WHERE id = $1', [runId])).rows[0]!.state;

    await h.pg.cut();
    await approve();
    const told = h.slack.ephemerals({ user: GRACE }).filter((e) => /database/i.test(e.text));
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toMatch(/database is not answering/i);
    expect(told[0]!.text).toMatch(/try again/i);
    expect(h.slack.ephemerals({ user: GRACE }).some((e) => /something went wrong/i.test(e.text))).toBe(false);
    expect(existsSync(ran)).toBe(false);
    expect(await runState()).toBe('awaiting_approval');
    expect(await actionKinds()).toEqual(['action.requested']);

    await h.pg.restore();
    await approve();
    await h.slack.waitFor(() => existsSync(ran), { what: 'the approved rollback to run' });
    await h.settle();
    expect(await readFile(ran, 'utf8')).toBe(`${key} approved by ${GRACE}\n`);
    expect(await runState()).toBe('succeeded');
    expect(await actionKinds()).toEqual(['action.requested', 'action.approved', 'action.started', 'action.finished']);

    // Approving once more (unsure the first went through) runs nothing more.
    await h.slack.click({
      user: GRACE,
      channel,
      ts: approval.ts,
      actionId: `action.approve.${runId}`,
      staleBlocks: seen,
    });
    await h.settle();
    expect(h.slack.ephemerals({ user: GRACE }).some((e) => e.text.includes('already succeeded'))).toBe(true);
    expect(await readFile(ran, 'utf8')).toBe(`${key} approved by ${GRACE}\n`);
    expect((await actionKinds()).filter((k) => k !== 'action.refused')).toEqual([
      'action.requested',
      'action.approved',
      'action.started',
      'action.finished',
    ]);
    expect(unhandled).toEqual([]);
  });
});
