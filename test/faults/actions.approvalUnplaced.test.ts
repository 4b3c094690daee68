import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import type { ParamsMatch } from '../../src/playground/emulator/api.js';
import { overrideConfig } from '../support/config.js';
import { timelineOf } from '../support/timeline.js';
import { until } from '../support/wait.js';
import { type FaultHarness, startFaultHarness } from './support/stack.js';

const ADA = 'U0ONCALL01'; // in S0ROLLBACK: asks
const GRACE = 'U0SECOND02'; // in S0ROLLBACK: approves
const isLive: ParamsMatch = (p) => JSON.stringify(p.metadata ?? '').includes('incidentbot_live_message');

/**
 * The live message is in Slack before the bot has recorded it (its chat.postMessage answer is slow, or lost and
 * retried): its buttons can be pressed already. A rollback asked for then used to be held for approval with no
 * approval request anywhere (it was only posted when the message was recorded), while the requester read that
 * it awaits approval; a second request was refused as already waiting, until the request expired. The request
 * is durable work now: it is posted in the thread as soon as the incident is placed.
 */
describe('an approval asked for before the live message is recorded', () => {
  let h: FaultHarness;
  beforeAll(async () => {
    h = await startFaultHarness({
      clock: new ManualClock(new Date()),
      // The held and dropped answer makes the bot warn on purpose.
      log: silentLogger,
      config: (base) =>
        overrideConfig(base, {
          actions: {
            'redis-rollback': {
              kind: 'command',
              title: 'Roll back Redis connection logic',
              argv: [process.execPath, '-e', 'process.exit(0)'],
              allowed: { usergroups: ['S0ROLLBACK'] },
              approval: 'required',
              approval_expires: '10m',
            },
          },
        }),
    });
  });
  afterAll(() => h.stop());

  it('posts the approval request once the incident is placed, and it can be approved', async () => {
    // Slack shows the live message but its answer is held: the bot has not recorded it yet.
    h.slack.failNext('chat.postMessage', { hangAfterDoing: true }, { match: isLive });
    await h.slack.sendCommand({ text: 'redis-down approval before placement', user: ADA });
    const live = await h.slack.waitFor(
      () =>
        h.slack.workspace.channels
          .filter((c) => c.name.startsWith('inc-1-'))
          .flatMap((c) => h.slack.messages(c.id))
          .find((m) => (m.metadata as { event_type?: string } | undefined)?.event_type === 'incidentbot_live_message'),
      { what: 'the live message in Slack' },
    );
    const { rows } = await h.db.query<{ message_ts: string | null }>(`SELECT message_ts FROM incidents`);
    expect(rows).toEqual([{ message_ts: null }]);

    await h.slack.click({ user: ADA, channel: live.channel, ts: live.ts, actionId: 'action.request.redis-rollback' });
    await until(
      async () => (await h.db.query(`SELECT 1 FROM action_runs WHERE state = 'awaiting_approval'`)).rowCount === 1,
      { what: 'the run held for approval' },
    );

    // Slack recovers; the held answer is lost, and the place work finds the message by its key.
    h.slack.clearFaults();
    const approval = () => h.slack.thread(live.channel, live.ts).filter((m) => m.text.startsWith('Approval needed'));
    for (let i = 0; i < 10 && approval().length === 0; i++) await h.advance(5_000);
    const placed = await h.db.query<{ message_ts: string | null }>(`SELECT message_ts FROM incidents`);
    expect(placed.rows).toEqual([{ message_ts: live.ts }]);
    expect(approval()).toHaveLength(1);
    const request = approval()[0]!;
    const runId = JSON.stringify(request.blocks).match(/action\.approve\.(\d+)/)![1]!;
    const recorded = await h.db.query<{ approval_ts: string | null }>(
      'SELECT approval_ts FROM action_runs WHERE id = $1',
      [runId],
    );
    expect(recorded.rows[0]!.approval_ts).toBe(request.ts);

    await h.slack.click({
      user: GRACE,
      channel: live.channel,
      ts: approval()[0]!.ts,
      actionId: `action.approve.${runId}`,
    });
    await h.settle();
    const kinds = (await timelineOf(h.db, 'INC-1')).map((e) => e.kind).filter((k) => k.startsWith('action.'));
    expect(kinds).toEqual(['action.requested', 'action.approved', 'action.started', 'action.finished']);
    // Said once, however long it waited (the request itself now says it was approved).
    await h.advance(60_000);
    expect(approval()).toEqual([]);
    expect(
      h.slack.callsTo('chat.postMessage').filter((c) => String(c.params.text).startsWith('Approval needed')),
    ).toHaveLength(1);
  });
});
