import { join } from 'node:path';
import type { BenchEnv } from './env.js';
import { type Child, spawnChild } from './ipc.js';
import type { LoadResult, LoadRun, LoadSetup } from './loadPlan.js';
import { type Stack, startStack } from './stack.js';

export interface BareBolt {
  url: string;
}

/** What a scenario gets: the run's settings and the processes it may share with other scenarios. */
export interface BenchContext {
  env: BenchEnv;
  quick: boolean;
  logDir: string;
  profileDir?: string;
  /** A progress line on stderr. */
  progress(line: string): void;
  /** The bot shared by the ack, capacity and command → message scenarios (started on first use). */
  mainStack(): Promise<Stack>;
  /** The bare Bolt app (started on first use). */
  bareBolt(): Promise<Child<BareBolt>>;
  /** The load generator process (started on first use). */
  load(): Promise<LoadGenerator>;
  /** Starts a bot of its own (the soak). */
  startStack(name: string): Promise<Stack>;
  /** Stops the shared bot (abandoning a backlog the last scenario left) and the bare Bolt app. */
  releaseShared(): Promise<void>;
  close(): Promise<void>;
}

export interface LoadGenerator {
  run(setup: LoadSetup, run: LoadRun): Promise<LoadResult>;
}

export function createContext(options: {
  env: BenchEnv;
  quick: boolean;
  logDir: string;
  profileDir?: string;
}): BenchContext {
  let main: Promise<Stack> | undefined;
  let bare: Promise<Child<BareBolt>> | undefined;
  let load: Promise<Child<{ pid: number }>> | undefined;
  const stacks: Stack[] = [];
  const context: BenchContext = {
    ...options,
    progress: (line) => process.stderr.write(`  · ${line}\n`),
    mainStack: () => (main ??= context.startStack('main')),
    bareBolt: () =>
      (bare ??= context.mainStack().then((stack) =>
        spawnChild<BareBolt>({
          name: 'bare Bolt app',
          script: 'bareBolt.ts',
          outputFile: join(options.logDir, 'bare-bolt.out'),
          env: {
            BENCH_SIGNING_SECRET: stack.emulator.signingSecret,
            BENCH_SLACK_API_URL: stack.emulator.apiUrl,
            BENCH_BOT_TOKEN: stack.emulator.botToken,
          },
        }),
      )),
    async load() {
      const child = await (load ??= spawnChild<{ pid: number }>({
        name: 'load generator',
        script: 'load.ts',
        outputFile: join(options.logDir, 'load.out'),
      }));
      return {
        async run(setup, run) {
          await child.call('setup', setup);
          return child.call<LoadResult>('run', run);
        },
      };
    },
    async startStack(name) {
      const stack = await startStack({
        env: options.env,
        name,
        logDir: options.logDir,
        ...(options.profileDir ? { profileDir: options.profileDir } : {}),
      });
      stacks.push(stack);
      return stack;
    },
    async releaseShared() {
      const [m, b] = [main, bare];
      main = undefined;
      bare = undefined;
      await Promise.allSettled([b?.then((child) => child.stop()), m?.then((stack) => closeStack(stack, true))]);
    },
    async close() {
      await context.releaseShared();
      await Promise.allSettled(stacks.map((s) => closeStack(s)));
      await load?.then((child) => child.stop()).catch(() => undefined);
    },
  };
  const closeStack = (stack: Stack, abandon = false) => stack.close({ abandon });
  return context;
}
