import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParamsMatch } from '../../src/playground/emulator/api.js';
import type { RecordedCall, SlackFault } from '../../src/playground/emulator/index.js';
import { SlackEmulator } from '../../src/playground/emulator/index.js';
import { type TestDatabase, createTestDatabase } from '../support/db.js';
import { uniqueName } from '../support/env.js';
import { until } from '../support/wait.js';
import { BotProcesses } from './support/botProcess.js';

const ADA = 'U0ONCALL01';

const isLive: ParamsMatch = (p) => JSON.stringify(p.metadata ?? '').includes('incidentbot_live_message');
const isPageDm: ParamsMatch = (p) => String(p.channel).startsWith('D') && String(p.text).includes('paged for INC-1');

/**
 * Where the process dies: the Slack call it is waiting on when it is killed. `hang`: the call never reaches
 * Slack's effect (killed right after the commit); `hangAfterDoing`: Slack did it, the answer never came (killed
 * after the step, before recording it: the worst moment, since only Slack knows it happened). Together they
 * cover every gap between two steps of opening: commit | channel | invite | live message | pin | pages.
 *
 * A real process killed with SIGKILL (bench/botProcess.ts in a child process), not an in-process bot abandoned:
 * an abandoned bot keeps its timers, sockets and pending promises, and may finish the step after all; a killed
 * one cannot. Each restart costs a process start (a few seconds under tsx), hence 7 points, not every call.
 */
const KILL_POINTS: { what: string; method: string; fault: SlackFault; match?: ParamsMatch }[] = [
  { what: 'after the commit, before the channel', method: 'conversations.create', fault: { hang: true } },
  { what: 'the channel created, not recorded', method: 'conversations.create', fault: { hangAfterDoing: true } },
  { what: 'the channel adopted, its purpose set', method: 'conversations.setPurpose', fault: { hangAfterDoing: true } },
  { what: 'the invite done, not recorded', method: 'conversations.invite', fault: { hangAfterDoing: true } },
  {
    what: 'the live message posted, not recorded',
    method: 'chat.postMessage',
    fault: { hangAfterDoing: true },
    match: isLive,
  },
  { what: 'the pin done, not recorded', method: 'pins.add', fault: { hangAfterDoing: true } },
  { what: 'a page sent, not recorded', method: 'chat.postMessage', fault: { hangAfterDoing: true }, match: isPageDm },
];

describe('the bot killed while it opens an incident', () => {
  let slack: SlackEmulator;
  let database: TestDatabase;
  let bots: BotProcesses;
  beforeAll(async () => {
    slack = await SlackEmulator.start();
    database = await createTestDatabase('postgres');
    bots = new BotProcesses(slack, { schema: database.schema!, redisPrefix: `${uniqueName('ib')}:` });
  });
  afterAll(async () => {
    await bots.stop();
    await slack.close();
    await database.drop();
  });

  /** A dead process's lease on its work runs out (the test does not wait the real 120 s for it). */
  const leasesRunOut = () =>
    database.db.query(
      `UPDATE scheduled_work SET locked_until = now() - interval '1 second' WHERE done_at IS NULL AND locked_by IS NOT NULL`,
    );

  it(
    'the process killed between every two steps of opening (commit, channel, invite, live message, pin, pages) ' +
      'and restarted ends with exactly one channel, one live message, one pin, each page once',
    async () => {
      let first = true;
      for (const point of KILL_POINTS) {
        slack.failNext(point.method, point.fault, { ...(point.match ? { match: point.match } : {}) });
        const since = slack.calls.length;
        await bots.start();
        if (first) await slack.sendCommand({ text: 'auth-401 killed while opening', user: ADA });
        first = false;
        const waiting = (c: RecordedCall) =>
          c.method === point.method && c.status === 0 && (!point.match || point.match(c.params));
        await slack.waitForCall(waiting, { since, timeoutMs: 20_000 }).catch((error: unknown) => {
          throw new Error(`never reached "${point.what}" (logs in ${bots.logDir}): ${String(error)}`);
        });
        await bots.kill();
        slack.clearFaults();
        await leasesRunOut();
      }
      await bots.start();
      const incident = await until(
        async () => {
          const { rows } = await database.db.query<{ id: number; channel_id: string; message_ts: string }>(
            `SELECT id, channel_id, message_ts FROM incidents
              WHERE placed_at IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM scheduled_work w WHERE w.incident_id = incidents.id AND w.done_at IS NULL
                                   AND w.kind IN ('place', 'page', 'deliver'))`,
          );
          return rows[0];
        },
        { timeoutMs: 30_000, what: `the incident placed and its pages delivered (logs in ${bots.logDir})` },
      );

      expect((await database.db.query('SELECT 1 FROM incidents')).rowCount).toBe(1);
      const channels = slack.workspace.channels.filter((c) => c.name.startsWith('inc-1-'));
      expect(channels.map((c) => c.id)).toEqual([incident.channel_id]);
      const channel = channels[0]!;
      expect(channel.members).toContain(ADA);
      const live = slack
        .messages(channel.id)
        .filter((m) => (m.metadata as { event_type?: string } | undefined)?.event_type === 'incidentbot_live_message');
      expect(live.map((m) => m.ts)).toEqual([incident.message_ts]);
      expect(channel.pins).toEqual([incident.message_ts]);

      const pagedDms = new Map<string, number>();
      for (const im of slack.workspace.channels.filter((c) => c.kind === 'im'))
        for (const m of slack.messages(im.id))
          if (m.text.includes('paged for INC-1')) pagedDms.set(im.im_user!, (pagedDms.get(im.im_user!) ?? 0) + 1);
      // Level 1 of the example policy is Ada (directly and as the only member of S0LEVEL1): one DM.
      expect([...pagedDms]).toEqual([[ADA, 1]]);
      const threadPages = slack
        .thread(channel.id, incident.message_ts)
        .filter((m) => m.text.startsWith('Paging level 1'));
      expect(threadPages).toHaveLength(1);

      const { rows: events } = await database.db.query<{ kind: string; n: number }>(
        `SELECT kind, count(*)::int AS n FROM timeline_events
          WHERE kind IN ('incident.opened', 'incident.placed', 'escalation.paged') GROUP BY kind ORDER BY kind`,
      );
      expect(events).toEqual([
        { kind: 'escalation.paged', n: 1 },
        { kind: 'incident.opened', n: 1 },
        { kind: 'incident.placed', n: 1 },
      ]);
    },
    // Eight process starts under tsx: a few seconds each when idle, twenty under a loaded CI machine.
    300_000,
  );
});
