import type { Clock } from '../../src/clock.js';
import { ManualClock, systemClock } from '../../src/clock.js';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { Coordinator } from '../../src/coord/coordinator.js';
import { type RunningBot, startBot } from '../../src/bot.js';
import { type Logger, createLogger } from '../../src/log.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import type { Playbook } from '../../src/playbooks/schema.js';
import { SlackEmulator } from '../../src/playground/emulator/index.js';
import type { Database } from '../../src/store/db.js';
import { type DatabaseKind, type TestDatabase, createTestDatabase } from './db.js';
import { testCoordinator } from './redis.js';
import { scanSlackAndTimeline } from './secretScanner.js';
import { resolve } from 'node:path';

/** Warnings and errors go to stderr (TEST_LOG_LEVEL=debug for more), so a failing test shows why. */
function testLogger(): Logger {
  return createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'warn', format: 'json', destination: process.stderr });
}

export const PLAYBOOKS_DIR = resolve(import.meta.dirname, '../../playbooks');

export interface HarnessOptions {
  database?: DatabaseKind;
  /** Changes to the example config for this test file. */
  config?: (config: Config) => Config;
  /** More playbooks beside the shipped ones (a small change runbook, say). */
  extraPlaybooks?: Playbook[];
  clock?: Clock;
  log?: Logger;
  /** The first bot's database (default: the test database's pool), e.g. a pool through a proxy the test can cut. */
  botDatabase?: (database: TestDatabase) => Database;
  /** The first bot's coordinator (default: Redis with the test's key prefix), e.g. through a proxy. */
  botCoordinator?: (prefix: string) => Coordinator;
  /**
   * Default true: when the harness stops, every body the bot sent to Slack and every timeline row are scanned
   * for credentials (test/support/secretScanner.ts), and a finding fails the file.
   */
  scanSecrets?: boolean;
}

export interface OpenedIncident {
  key: string;
  /** Where the live message is. */
  channel: string;
  ts: string;
}

export interface Harness {
  slack: SlackEmulator;
  bot: RunningBot;
  db: Database;
  database: TestDatabase;
  coord: Coordinator;
  config: Config;
  /** Another replica of the bot: same database, same Redis (unless given another coordinator), same Slack. */
  startReplica(options?: { coord?: Coordinator }): Promise<RunningBot>;
  /** Waits until every replica has finished the work it acked. */
  settle(): Promise<void>;
  /** Moves the test's ManualClock forward and lets every replica do what fell due. */
  advance(ms: number): Promise<void>;
  /** Types `/incident <text>` (as Ada, in #incidents, to the first bot) and waits for the incident's live message. */
  open(text: string, as?: { user?: string; channel?: string }): Promise<OpenedIncident>;
  stop(): Promise<void>;
}

/**
 * The bot as it runs in production, in HTTP mode, against the real
 * PostgreSQL and Redis and the project's Slack emulator: only SLACK_API_URL
 * differs.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const database = await createTestDatabase(options.database ?? 'postgres');
  const { config: loaded } = await loadConfigFile(exampleConfigPath, {}, { isExample: true });
  // Test files open many incidents as one person: the open limit is raised, except where a test sets it.
  // The example's people and paging channels are placeholders (no credentials): a test that pages sets its own.
  // Its schedules are left out unless a test gives its own: their handoffs would DM people at times that depend on
  // the real clock, in tests that count direct messages.
  const example: Config = {
    ...loaded,
    access: { ...loaded.access, max_opens_per_person: 1_000 },
    people: {},
    // Pages by DM go out at once (the clock may never move): a test of page digests sets its own interval.
    paging: { dm_min_interval: 0 },
    schedules: {},
    // Updates post one by one, at once: a test of the digest sets its own interval.
    stakeholders: { ...loaded.stakeholders, min_interval: 0 },
    // Test files open many incidents a minute: each gets its own channel, except in a test of storms.
    storm: { new_channels_per_minute: loaded.storm.new_channels_per_minute },
  };
  const config = options.config ? options.config(example) : example;
  const { playbooks: shipped } = await loadPlaybooks(PLAYBOOKS_DIR);
  const playbooks = [...shipped, ...(options.extraPlaybooks ?? [])];
  const slack = await SlackEmulator.start();
  const coords: Coordinator[] = [];
  const bots: RunningBot[] = [];
  const prefix = `ib-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}:`;
  const launch = async (db: Database, given?: Coordinator) => {
    const coord =
      given ?? (bots.length === 0 && options.botCoordinator ? options.botCoordinator(prefix) : testCoordinator(prefix));
    coords.push(coord);
    const bot = await startBot({
      env: {
        PORT: 0,
        slack: { mode: 'http', botToken: slack.botToken, signingSecret: slack.signingSecret, apiUrl: slack.apiUrl },
      },
      config,
      playbooks,
      db,
      coord,
      clock: options.clock ?? systemClock,
      log: options.log ?? testLogger(),
      host: '127.0.0.1',
      // A test that moves the clock drives the worker itself (settle); real time keeps node-cron's ticks.
      scheduler: options.clock === undefined,
    });
    bots.push(bot);
    return bot;
  };
  const first = options.botDatabase ? options.botDatabase(database) : database.db;
  const bot = await launch(first);
  slack.connectBot(`${bot.url}/slack/events`);
  /** Until nothing is left to do: acked work, live-message renders and due work on every replica. */
  const settle = async () => {
    for (let round = 0; round < 50; round++) {
      const busy = await Promise.all(
        bots.map(async (b) => {
          const inflight = b.slack?.inflight.size ?? 0;
          await b.slack?.inflight.drain();
          await b.deps?.live.idle();
          return inflight + ((await b.worker?.tick()) ?? 0);
        }),
      );
      if (busy.every((n) => n === 0)) return;
    }
    throw new Error('the bot did not settle after 50 rounds');
  };
  const open = async (text: string, as: { user?: string; channel?: string } = {}): Promise<OpenedIncident> => {
    slack.connectBot(`${bot.url}/slack/events`);
    const before = (await database.db.query<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM incidents'))
      .rows[0]!.id;
    await slack.sendCommand({ text, user: as.user ?? 'U0ONCALL01', ...(as.channel ? { channel: as.channel } : {}) });
    await settle();
    const { rows } = await database.db.query<{ key: string; channel_id: string; message_ts: string }>(
      'SELECT key, channel_id, message_ts FROM incidents WHERE id > $1 ORDER BY id LIMIT 1',
      [before],
    );
    if (!rows[0]?.message_ts) throw new Error(`"/incident ${text}" opened no incident with a live message`);
    return { key: rows[0].key, channel: rows[0].channel_id, ts: rows[0].message_ts };
  };
  return {
    slack,
    bot,
    db: database.db,
    database,
    coord: coords[0]!,
    config,
    open,
    async advance(ms) {
      if (!(options.clock instanceof ManualClock))
        throw new Error('advance() needs the harness started with a ManualClock');
      options.clock.advance(ms);
      await settle();
    },
    startReplica: (replica = {}) => launch(database.connectAnother(), replica.coord),
    settle,
    async stop() {
      await settle();
      const findings = options.scanSecrets === false ? [] : await scanSlackAndTimeline(slack, database.db);
      await Promise.all(bots.map((b) => b.stop()));
      await Promise.all(coords.map((c) => c.close()));
      await slack.close();
      await database.drop();
      if (findings.length > 0)
        throw new Error(`credentials reached Slack or the timeline: ${JSON.stringify(findings, null, 2)}`);
    },
  };
}
