import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { type RunningBot, startBot } from '../../src/bot.js';
import type { Clock } from '../../src/clock.js';
import type { Config } from '../../src/config/schema.js';
import type { Coordinator } from '../../src/coord/coordinator.js';
import { createLogger } from '../../src/log.js';
import type { Playbook } from '../../src/playbooks/schema.js';
import type { SlackEmulator } from '../../src/playground/emulator/index.js';
import type { PaceTable } from '../../src/slack/limits.js';
import type { Database } from '../../src/store/db.js';
import type { BenchContext } from './context.js';
import { type BenchDatabase, coordinator, redisPrefix } from './env.js';

/** Bot instances in this process sharing one database, one Redis (or one in-process coordinator) and one Slack. */
export interface Replicas {
  bots: RunningBot[];
  dbs: Database[];
  close(): Promise<void>;
}

export async function startReplicas(
  ctx: BenchContext,
  options: {
    name: string;
    count: number;
    database: BenchDatabase;
    emulator: SlackEmulator;
    config: Config;
    playbooks: readonly Playbook[];
    clock: Clock;
    /** false: the caller drives `worker.tick()`. */
    scheduler: boolean;
    /** The bots keep this pace under Slack's limits; unset: unpaced. */
    slackPace?: PaceTable;
  },
): Promise<Replicas> {
  const log = createLogger({
    level: 'warn',
    format: 'json',
    destination: pino.destination({ dest: join(ctx.logDir, `bots-${options.name}.log`), sync: true }),
  });
  const coords: Coordinator[] = [];
  const dbs: Database[] = [];
  const bots: RunningBot[] = [];
  const prefix = redisPrefix(ctx.env, options.name);
  const close = async () => {
    await Promise.all(bots.map((b) => b.stop()));
    await Promise.all([...new Set(coords)].map((c) => c.close()));
  };
  try {
    for (let i = 0; i < options.count; i++) {
      const coord = ctx.env.redisUrl || coords.length === 0 ? await coordinator(ctx.env, prefix) : coords[0]!;
      coords.push(coord);
      const db = await options.database.connect(10);
      dbs.push(db);
      bots.push(
        await startBot({
          env: {
            PORT: 0,
            slack: {
              mode: 'http',
              botToken: options.emulator.botToken,
              signingSecret: options.emulator.signingSecret,
              apiUrl: options.emulator.apiUrl,
            },
          },
          config: options.config,
          playbooks: options.playbooks,
          db,
          coord,
          clock: options.clock,
          log,
          host: '127.0.0.1',
          scheduler: options.scheduler,
          ...(options.slackPace ? { slackPace: options.slackPace } : {}),
        }),
      );
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { bots, dbs, close };
}

/** The bots' Web API clients write Slack's warnings to the console: kept in a file, counted. */
export function muteConsole(file: string): { count: number; restore(): void } {
  const out = createWriteStream(file, { flags: 'a' });
  const saved = {
    warn: console.warn,
    info: console.info,
    log: console.log,
    debug: console.debug,
    error: console.error,
  };
  const state = {
    count: 0,
    restore() {
      Object.assign(console, saved);
      out.end();
    },
  };
  const write = (...args: unknown[]) => {
    state.count++;
    out.write(`${args.map(String).join(' ')}\n`);
  };
  Object.assign(console, { warn: write, info: write, log: write, debug: write, error: write });
  return state;
}
