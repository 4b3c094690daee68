import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { SlackEmulator } from '../../src/playground/emulator/index.js';
import type { BotProcessInfo, BotProcessOptions } from '../botProcess.js';
import { type BenchDatabase, type BenchEnv, createDatabase, redisPrefix } from './env.js';
import { type Child, spawnChild } from './ipc.js';
import { PostWatcher, RequestFactory, type Template } from './requests.js';

export const ADA = 'U0ONCALL01';
export const INCIDENTS_CHANNEL = 'C0INCIDENTS';
export const PLAYBOOKS_DIR = resolve(import.meta.dirname, '../../playbooks');

export interface StackOptions {
  env: BenchEnv;
  name: string;
  /** Where the bot's log goes. */
  logDir: string;
  /** Directory for `node --cpu-prof`, when profiling. */
  profileDir?: string;
}

/** An opened incident: its channel and its live message. */
export interface Opened {
  channel: string;
  ts: string;
}

/**
 * One bot under test: its own Slack emulator (in this process), its own
 * schema and key prefix, and the bot in its own process.
 */
export interface Stack {
  name: string;
  emulator: SlackEmulator;
  bot: Child<BotProcessInfo>;
  factory: RequestFactory;
  watcher: PostWatcher;
  logFile: string;
  /**
   * Opens incidents through Slack (the emulator sends `/incident <playbook> <marker>`) and waits for each live
   * message.
   */
  openIncidents(count: number, playbooks: readonly string[]): Promise<Opened[]>;
  /** Done and Skip clicks on the first steps of each incident's live message. */
  stepClicks(incidents: readonly Opened[], steps: readonly number[], weight?: number): Promise<Template[]>;
  settle(timeoutMs?: number): Promise<{ ms: number; settled: boolean }>;
  /** `abandon`: the bot exits without finishing work it acked (a backlog left by an overload). */
  close(options?: { abandon?: boolean }): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const { env, name } = options;
  const database: BenchDatabase | undefined = env.databaseUrl
    ? await createDatabase(env, name, { migrated: false })
    : undefined;
  const emulator = await SlackEmulator.start();
  const logFile = join(options.logDir, `bot-${name}.log`);
  const botOptions: BotProcessOptions = {
    ...(env.databaseUrl ? { databaseUrl: env.databaseUrl } : {}),
    ...(database?.schema ? { schema: database.schema } : {}),
    ...(env.redisUrl ? { redisUrl: env.redisUrl } : {}),
    redisPrefix: redisPrefix(env, name),
    apiUrl: emulator.apiUrl,
    botToken: emulator.botToken,
    signingSecret: emulator.signingSecret,
    logFile,
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
    playbooksDir: PLAYBOOKS_DIR,
  };
  const bot = await spawnChild<BotProcessInfo>({
    name: `bot (${name})`,
    script: 'botProcess.ts',
    env: { BENCH_BOT: JSON.stringify(botOptions) },
    outputFile: join(options.logDir, `bot-${name}.out`),
    // One profile per thread (the tsx loader has its own); the main thread's is the large one.
    nodeFlags: [
      '--expose-gc',
      ...(process.env.BENCH_TRACE_GC ? ['--trace-gc'] : []),
      ...(options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(options.profileDir, `bot-${name}`)] : []),
    ],
  }).catch(async (error: unknown) => {
    await emulator.close();
    await database?.drop();
    throw error;
  });
  emulator.connectBot(bot.info.url);
  const factory = await RequestFactory.start(emulator, bot.info.url);
  const watcher = new PostWatcher(emulator);

  const openOne = async (playbook: string): Promise<Opened> => {
    const marker = `bench${randomBytes(6).toString('hex')}`;
    const seen = watcher.expect(marker);
    const answer = await emulator.sendCommand({ text: `${playbook} ${marker}`, user: ADA, channel: INCIDENTS_CHANNEL });
    if (answer.status !== 200) throw new Error(`/incident ${playbook} was answered ${answer.status}: ${answer.body}`);
    const { channel, ts } = await seen;
    return { channel, ts };
  };

  let closed = false;
  return {
    name,
    emulator,
    bot,
    factory,
    watcher,
    logFile,
    async openIncidents(count, playbooks) {
      const opened: Opened[] = [];
      for (let i = 0; i < count; i += 4) {
        opened.push(
          ...(await Promise.all(
            Array.from({ length: Math.min(4, count - i) }, (_, j) => openOne(playbooks[(i + j) % playbooks.length]!)),
          )),
        );
      }
      await bot.call('settle', { timeoutMs: 60_000 });
      return opened;
    },
    async stepClicks(incidents, steps, weight = 1) {
      const templates: Template[] = [];
      for (const incident of incidents) {
        for (const step of steps) {
          for (const verb of ['done', 'skip']) {
            templates.push(
              await factory.click(
                { user: ADA, channel: incident.channel, ts: incident.ts, actionId: `step.${verb}.${step}` },
                weight,
              ),
            );
          }
        }
      }
      return templates;
    },
    settle: (timeoutMs = 60_000) => bot.call('settle', { timeoutMs }),
    async close({ abandon = false } = {}) {
      if (closed) return;
      closed = true;
      watcher.close();
      await bot.stop({ params: { abandon } });
      await factory.close();
      await emulator.close();
      await database?.drop();
    },
  };
}
