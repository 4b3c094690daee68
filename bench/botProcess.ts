import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { startBot } from '../src/bot.js';
import { systemClock } from '../src/clock.js';
import { exampleConfigPath, loadConfigFile } from '../src/config/load.js';
import type { Coordinator } from '../src/coord/coordinator.js';
import { InProcessCoordinator } from '../src/coord/memory.js';
import { RedisCoordinator } from '../src/coord/redis.js';
import { createLogger } from '../src/log.js';
import { loadPlaybooks } from '../src/playbooks/load.js';
import type { Database } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { connectPostgres } from '../src/store/pg.js';
import { openEmbedded } from '../src/store/pglite.js';
import { serve } from './support/ipc.js';
import { forBench } from './support/exampleConfig.js';

/**
 * The bot under test, in its own process, built as src/main.ts builds it
 * (example config, shipped playbooks, HTTP mode, node-cron ticking the due
 * work) but against the scenario's schema, key prefix and Slack emulator.
 * Answers the orchestrator over IPC: memory, event-loop delay, settle, stop.
 * Nothing here is reachable over HTTP.
 */
export interface BotProcessOptions {
  databaseUrl?: string;
  schema?: string;
  redisUrl?: string;
  redisPrefix: string;
  apiUrl: string;
  botToken: string;
  signingSecret: string;
  logFile: string;
  logLevel: string;
  playbooksDir: string;
}

export interface BotProcessInfo {
  url: string;
  pid: number;
}
export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}
/** CPU used so far, event-loop utilization since the last call, acked work still running. */
export interface Usage {
  cpuMs: number;
  elu: number;
  inflight: number;
}
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

const options = JSON.parse(process.env.BENCH_BOT ?? '{}') as BotProcessOptions;
const log = createLogger({
  level: options.logLevel,
  format: 'json',
  destination: pino.destination({ dest: options.logFile, sync: true }),
});
const { config: example } = await loadConfigFile(exampleConfigPath, process.env, { isExample: true });
// The benchmark opens hundreds of incidents as one person: the per-person open limit would refuse them.
const config = { ...forBench(example), access: { ...example.access, max_opens_per_person: 1_000_000 } };
const { playbooks } = await loadPlaybooks(options.playbooksDir);
const db: Database = options.databaseUrl
  ? connectPostgres({ url: options.databaseUrl, ...(options.schema ? { schema: options.schema } : {}) })
  : await openEmbedded();
await migrate(db);
const coord: Coordinator = options.redisUrl
  ? new RedisCoordinator({ url: options.redisUrl, prefix: options.redisPrefix, log })
  : new InProcessCoordinator();
if (options.redisUrl)
  for (let i = 0; i < 100 && !(await coord.ping()); i++) await new Promise((r) => setTimeout(r, 20));
const bot = await startBot({
  env: {
    PORT: 0,
    slack: { mode: 'http', botToken: options.botToken, signingSecret: options.signingSecret, apiUrl: options.apiUrl },
  },
  config,
  playbooks,
  db,
  coord,
  clock: systemClock,
  log,
  host: '127.0.0.1',
});

const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const ms = (ns: number) => Math.round(ns / 1e4) / 100;
let lastElu = performance.eventLoopUtilization();
const gc = (globalThis as { gc?: () => void }).gc;

/** Until nothing acked is still running and no due work is left (node-cron keeps ticking meanwhile). */
async function settle({ timeoutMs = 60_000 }: { timeoutMs?: number } = {}): Promise<{ ms: number; settled: boolean }> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const inflight = bot.slack?.inflight.size ?? 0;
    await bot.slack?.inflight.drain();
    await bot.deps?.live.idle();
    const ran = (await bot.worker?.tick()) ?? 0;
    if (inflight === 0 && ran === 0 && (bot.slack?.inflight.size ?? 0) === 0)
      return { ms: Math.round(performance.now() - started), settled: true };
  }
  return { ms: Math.round(performance.now() - started), settled: false };
}

serve(
  {
    memory: ({ collect }: { collect?: boolean } = {}): MemorySample => {
      if (collect && gc) {
        gc();
        gc();
      }
      const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
      return { rss, heapUsed, heapTotal, external };
    },
    loopDelay: ({ reset }: { reset?: boolean } = {}): LoopDelay => {
      const value = {
        p50: ms(loop.percentile(50)),
        p99: ms(loop.percentile(99)),
        max: ms(loop.max),
        mean: ms(loop.mean),
      };
      if (reset) loop.reset();
      return value;
    },
    usage: (): Usage => {
      const cpu = process.cpuUsage();
      const elu = performance.eventLoopUtilization(lastElu);
      lastElu = performance.eventLoopUtilization();
      return {
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        elu: Math.round(elu.utilization * 100) / 100,
        inflight: bot.slack?.inflight.size ?? 0,
      };
    },
    settle,
    /** `abandon`: exit without finishing the acked work (the schema is dropped anyway). */
    stop: async ({ abandon }: { abandon?: boolean } = {}) => {
      if (!abandon) {
        await bot.stop();
        await coord.close();
        await db.close();
      }
      loop.disable();
      // Exit after the answer is out, so --cpu-prof writes its profile.
      setTimeout(() => process.exit(0), 50);
      return true;
    },
  },
  { url: `${bot.url}/slack/events`, pid: process.pid } satisfies BotProcessInfo,
);
