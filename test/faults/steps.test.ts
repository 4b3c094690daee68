import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { captureLogs } from '../support/logs.js';
import { timelineOf } from '../support/timeline.js';
import { type FaultHarness, startFaultHarness } from './support/stack.js';

const ADA = 'U0ONCALL01';
const GRACE = 'U0SECOND02';

/** PostgreSQL restarted while a responder moves a step (issue 14, "during a step move"). */
describe('PostgreSQL restarted during a step move', () => {
  let h: FaultHarness;
  const logs = captureLogs('warn');
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    h = await startFaultHarness({ clock: new ManualClock(new Date()), log: logs.log });
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await h.stop();
  });

  const stepDone = async (key: string, step: number) =>
    (await timelineOf(h.db, key)).filter((e) => e.kind === 'step.done' && e.data.step === step);
  const stepState = async (key: string, step: number) =>
    (
      await h.db.query<{ state: string; actor: string }>(
        `SELECT s.state, s.actor FROM step_states s JOIN incidents i ON i.id = s.incident_id
          WHERE i.key = $1 AND s.step = $2`,
        [key, step],
      )
    ).rows;
  const saidTo = (user: string, pattern: RegExp) => h.slack.ephemerals({ user }).filter((e) => pattern.test(e.text));

  it('the Done button pressed while PostgreSQL is away: a clear sentence, nothing written; pressed again: done once', async () => {
    const { key, channel, ts } = await h.open('auth-401 step move during an outage');
    const live = () => JSON.stringify(h.slack.message(channel, ts)?.blocks ?? []);
    expect(live()).toContain('"step.done.3"');

    await h.pg.cut();
    const click = await h.slack.click({ user: ADA, channel, ts, actionId: 'step.done.3' });
    expect(click.status).toBe(200);
    await h.settle();
    const told = saidTo(ADA, /database/i);
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toMatch(/database is not answering/i);
    expect(told[0]!.text).toMatch(/try again/i);
    expect(saidTo(ADA, /something went wrong/i)).toEqual([]);
    expect(await stepState(key, 3)).toEqual([]);
    expect(await stepDone(key, 3)).toEqual([]);
    expect(live()).toContain('"step.done.3"');

    await h.pg.restore();
    await h.slack.click({ user: ADA, channel, ts, actionId: 'step.done.3' });
    await h.settle();
    await h.slack.waitFor(() => live().includes(`Done by <@${ADA}>`), { what: 'the live message to show step 3 done' });
    expect(live()).not.toContain('"step.done.3"');
    expect(await stepDone(key, 3)).toHaveLength(1);
    expect(await stepState(key, 3)).toEqual([{ state: 'done', actor: ADA }]);
    expect(saidTo(ADA, /Step 3 of .* is done/)).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });

  it('`/incident step 1 done` typed while PostgreSQL is away: a clear sentence, nothing written; typed again: done once', async () => {
    const { key, channel, ts } = await h.open('auth-401 typed step move during an outage');
    const live = () => JSON.stringify(h.slack.message(channel, ts)?.blocks ?? []);
    const before = saidTo(GRACE, /database/i).length;

    await h.pg.cut();
    await h.slack.sendCommand({ text: 'step 1 done', user: GRACE, channel });
    await h.settle();
    const told = saidTo(GRACE, /database/i).slice(before);
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toMatch(/database is not answering/i);
    expect(saidTo(GRACE, /something went wrong/i)).toEqual([]);
    expect(await stepState(key, 1)).toEqual([]);
    expect(await stepDone(key, 1)).toEqual([]);

    await h.pg.restore();
    await h.slack.sendCommand({ text: 'step 1 done', user: GRACE, channel });
    await h.settle();
    await h.slack.waitFor(() => live().includes(`Done by <@${GRACE}>`), {
      what: 'the live message to show step 1 done',
    });
    expect(await stepDone(key, 1)).toHaveLength(1);
    expect(await stepState(key, 1)).toEqual([{ state: 'done', actor: GRACE }]);

    // Typed a third time (unsure whether the first went through): it says so and writes nothing.
    await h.slack.sendCommand({ text: 'step 1 done', user: GRACE, channel });
    await h.settle();
    expect(saidTo(GRACE, /Step 1 of .* is already done by/)).toHaveLength(1);
    expect(await stepDone(key, 1)).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });
});
