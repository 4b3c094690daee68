import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BotProcessInfo, BotProcessOptions } from '../../../bench/botProcess.js';
import { type Child, spawnChild } from '../../../bench/support/ipc.js';
import type { SlackEmulator } from '../../../src/playground/emulator/index.js';
import { REDIS_URL, DATABASE_URL } from '../../support/env.js';
import { PLAYBOOKS_DIR } from '../../support/harness.js';
import { until } from '../../support/wait.js';

/**
 * The bot in a process of its own (bench/botProcess.ts: built as main.ts builds it, node-cron ticking), so a
 * test can kill it with SIGKILL at a moment it chooses and start another on the same database, Redis prefix
 * and Slack. Nothing it held in memory survives; only what it committed, and what Slack did, remain.
 */
export class BotProcesses {
  private readonly dir = mkdtempSync(join(tmpdir(), 'ib-faults-'));
  private started = 0;
  private current: Child<BotProcessInfo> | undefined;

  constructor(
    private readonly slack: SlackEmulator,
    private readonly target: { schema: string; redisPrefix: string },
  ) {}

  /** Starts a bot process and points the emulator at it. */
  async start(): Promise<Child<BotProcessInfo>> {
    const options: BotProcessOptions = {
      databaseUrl: DATABASE_URL,
      schema: this.target.schema,
      redisUrl: REDIS_URL,
      redisPrefix: this.target.redisPrefix,
      apiUrl: this.slack.apiUrl,
      botToken: this.slack.botToken,
      signingSecret: this.slack.signingSecret,
      logFile: join(this.dir, `bot-${++this.started}.log`),
      logLevel: 'info',
      playbooksDir: PLAYBOOKS_DIR,
    };
    this.current = await spawnChild<BotProcessInfo>({
      name: `bot ${this.started}`,
      script: 'botProcess.ts',
      env: { BENCH_BOT: JSON.stringify(options) },
    });
    this.slack.connectBot(this.current.info.url);
    return this.current;
  }

  /** kill -9, and waits until the process is gone. */
  async kill(): Promise<void> {
    const pid = this.current?.pid;
    this.current = undefined;
    if (pid === undefined) return;
    process.kill(pid, 'SIGKILL');
    await until(() => !alive(pid), { what: `process ${pid} to die` });
  }

  async stop(): Promise<void> {
    await this.current?.stop({ graceMs: 10_000 });
    this.current = undefined;
  }

  /** Where the processes' logs are, for a failing test's message. */
  get logDir(): string {
    return this.dir;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
