import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { overrideConfig } from '../support/config.js';
import { timelineOf } from '../support/timeline.js';
import { until } from '../support/wait.js';
import { type FaultHarness, startFaultHarness } from './support/stack.js';

const ADA = 'U0ONCALL01';
/** Says it started, then waits for the test to let it finish. */
const WAIT_FOR_GO =
  "const fs = require('fs'); fs.writeFileSync(process.argv[1], 'started'); " +
  "const t = setInterval(() => { if (fs.existsSync(process.argv[2])) { clearInterval(t); console.log('rolled back'); } }, 10);";

describe('Lost outcome: PostgreSQL fails while a rollback runs', () => {
  let h: FaultHarness;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lost-outcome-'));
    h = await startFaultHarness({
      log: silentLogger,
      config: (base) =>
        overrideConfig(base, {
          actions: {
            'redis-rollback': {
              kind: 'command',
              title: 'Roll back Redis connection logic',
              argv: [process.execPath, '-e', WAIT_FOR_GO, join(dir, 'started'), join(dir, 'go')],
              allowed: { usergroups: ['S0ROLLBACK'] },
              timeout: '30s',
            },
          },
        }),
    });
  });
  afterAll(() => h.stop());

  it('tells the requester the rollback ran and its recording is delayed, then records its outcome when PostgreSQL is back', async () => {
    const { key, channel, ts } = await h.open('redis-down lost outcome');
    await h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.redis-rollback' });
    await until(() => existsSync(join(dir, 'started')), { what: 'the rollback to start' });

    await h.pg.cut();
    await writeFile(join(dir, 'go'), 'go');

    const finished = await until(
      () => h.slack.thread(channel, ts).find((m) => m.text === 'Roll back Redis connection logic: succeeded'),
      { what: 'the thread to say the rollback succeeded', timeoutMs: 20_000 },
    );
    expect(JSON.stringify(finished.blocks)).toContain('recording this outcome is delayed');
    const told = await until(() => h.slack.ephemerals({ user: ADA }).find((e) => e.text.includes('ran (succeeded)')), {
      what: 'the requester to be told',
      timeoutMs: 20_000,
    });
    expect(told.text).toContain('recording it is delayed');
    expect(h.slack.ephemerals({ user: ADA }).some((e) => /something went wrong/i.test(e.text))).toBe(false);

    await h.pg.restore();
    const run = await until(
      async () => {
        const { rows } = await h.db.query<{ state: string; output: string }>(
          `SELECT r.state, r.output FROM action_runs r JOIN incidents i ON i.id = r.incident_id WHERE i.key = $1`,
          [key],
        );
        return rows[0]?.state === 'succeeded' && rows[0];
      },
      { what: 'the run row to reach succeeded', timeoutMs: 20_000 },
    );
    expect(run.output).toContain('rolled back');
    const events = (await timelineOf(h.db, key)).filter((e) => e.kind.startsWith('action.'));
    expect(events.map((e) => e.kind)).toEqual(['action.requested', 'action.started', 'action.finished']);
    expect(events[2]!.data).toMatchObject({ outcome: 'succeeded' });
  });
});
