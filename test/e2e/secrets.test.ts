import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overrideConfig } from '../support/config.js';
import { type Harness, startHarness } from '../support/harness.js';
import { captureLogs } from '../support/logs.js';
import { scanBody, scanSlackAndTimeline } from '../support/secretScanner.js';

const ADA = 'U0ONCALL01';
const DB_URL = 'postgres://deploy:pa55-w0rd-db-9911@db.internal:5432/app';
const BOT_TOKEN = 'xoxb-2222222222-3333333333-LeakedTokenValue';
const ODD = 'plain-looking-value-4242'; // shaped like nothing: only env_allow scrubbing can catch it
const CHECK_PW = 'check-pw-5150';
const PG_CHECK_PW = 'pg-check-pw-6060';
const AWS = 'AKIAIOSFODNN7EXAMPLE';
const KNOWN = [DB_URL, 'pa55-w0rd-db-9911', BOT_TOKEN, ODD, CHECK_PW, PG_CHECK_PW, AWS];

/** Prints the database URL and a Slack token it was given, and what else it has in its environment; then fails. */
const LEAKY_ROLLBACK = [
  'console.log("using " + process.env.LEAKY_DB_URL);',
  // Built at run time, so the argv (shown as the plan) does not carry them itself.
  `console.log("notify with xoxb-" + "${BOT_TOKEN.slice(5)} and Authorization: Bearer " + "abcdefgh12345678");`,
  'console.error("env odd=" + process.env.LEAKY_ODD + " aws=" + process.env.LEAKY_AWS);',
  'process.exit(1);',
].join(' ');
const LEAKY_CHECK =
  `console.error("connecting to postgres://app:" + "${CHECK_PW}@db/app failed with xoxb-" + "${BOT_TOKEN.slice(5)}");` +
  ' process.exit(2);';

describe('no secret reaches Slack, the timeline or a log', () => {
  let h: Harness;
  const logs = captureLogs('debug');

  beforeAll(async () => {
    process.env.LEAKY_DB_URL = DB_URL;
    process.env.LEAKY_ODD = ODD;
    process.env.LEAKY_AWS = AWS;
    h = await startHarness({
      log: logs.log,
      config: (base) =>
        overrideConfig(base, {
          checks: {
            'leaky-script': {
              kind: 'command',
              argv: [process.execPath, '-e', LEAKY_CHECK],
              timeout: '5s',
              retries: 0,
            },
            'leaky-postgres': {
              kind: 'postgres',
              url: `postgres://app:${PG_CHECK_PW}@127.0.0.1:1/app`,
              timeout: '2s',
              retries: 0,
            },
          },
          actions: {
            'redis-rollback': {
              kind: 'command',
              title: 'Roll back Redis connection logic',
              argv: [process.execPath, '-e', LEAKY_ROLLBACK],
              env_allow: ['LEAKY_DB_URL', 'LEAKY_ODD', 'LEAKY_AWS'],
              allowed: { usergroups: ['S0ROLLBACK'] },
              timeout: '10s',
            },
          },
        }),
    });
  });
  afterAll(async () => {
    await h.stop();
    delete process.env.LEAKY_DB_URL;
    delete process.env.LEAKY_ODD;
    delete process.env.LEAKY_AWS;
  });

  it('finds no credential in any Slack request, timeline row, run or log line after a leaky rollback and leaky checks', async () => {
    const { channel, ts } = await h.open('redis-down leaky');
    await h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.redis-rollback' });
    await h.slack.sendCommand({ text: 'health leaky-script', user: ADA, channel });
    await h.slack.sendCommand({ text: 'health leaky-postgres', user: ADA, channel });
    await h.settle();

    // The scenario happened: the rollback ran and failed, the checks failed, and their texts were posted.
    const thread = h.slack.thread(channel, ts).map((m) => JSON.stringify(m.blocks));
    expect(thread.some((b) => b.includes('using [redacted]'))).toBe(true);
    expect(thread.some((b) => b.includes('connecting to postgres://app:[redacted]@db/app'))).toBe(true);
    const { rows } = await h.db.query<{ kind: string }>(
      `SELECT kind FROM timeline_events WHERE kind IN ('action.finished', 'check.result')`,
    );
    expect(rows.map((r) => r.kind).sort()).toEqual(['action.finished', 'check.result', 'check.result']);

    expect(await scanSlackAndTimeline(h.slack, h.db, { known: KNOWN })).toEqual([]);
    const lines = logs.text().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.flatMap((line, i) => scanBody(`log line ${i + 1}`, line, { known: KNOWN }))).toEqual([]);
  });
});
