import { type ChildProcess, fork } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';

/**
 * A small request/answer protocol over Node's IPC channel, so the bot, the
 * bare Bolt app and the load generator each run in their own process and
 * the orchestrator talks to them by method name.
 */
interface Call {
  id: number;
  method: string;
  params?: unknown;
}
interface Answer {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}
interface Ready {
  ready: true;
  info: unknown;
}

export type Handlers = Record<string, (params: never) => unknown>;

/** Child side: answer calls; `info` goes to the parent once, when the child is ready. */
export function serve(handlers: Handlers, info: unknown): void {
  if (!process.send) throw new Error('this script runs as a child of bench/run.ts (it needs an IPC channel)');
  process.on('message', (message: Call) => {
    const handler = handlers[message.method];
    const reply = (answer: Omit<Answer, 'id'>) => process.send!({ id: message.id, ...answer });
    if (!handler) return reply({ ok: false, error: `no method ${message.method}` });
    Promise.resolve()
      .then(() => handler(message.params as never))
      .then(
        (value) => reply({ ok: true, value }),
        (error: unknown) =>
          reply({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
  // The parent going away ends the child: nothing is left running after a crash of the orchestrator.
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true, info } satisfies Ready);
}

export interface Child<Info> {
  readonly name: string;
  readonly pid: number;
  readonly info: Info;
  call<R>(method: string, params?: unknown): Promise<R>;
  /** Asks the child to stop (method `stop`), then waits for it to exit; kills it after `graceMs`. */
  stop(options?: { graceMs?: number; params?: unknown }): Promise<void>;
  /** The last lines the child wrote to stderr, for an error message. */
  stderrTail(): string;
}

export interface SpawnOptions {
  name: string;
  /** A script under bench/. */
  script: string;
  env?: Record<string, string>;
  /** Extra node flags (--cpu-prof, --expose-gc). */
  nodeFlags?: string[];
  readyTimeoutMs?: number;
  /** The child's stdout and stderr are appended here (the last lines are also kept for errors). */
  outputFile?: string;
}

const BENCH_DIR = resolve(import.meta.dirname, '..');

/** Starts `node --import tsx bench/<script>` with an IPC channel; resolves once the child says it is ready. */
export function spawnChild<Info>(options: SpawnOptions): Promise<Child<Info>> {
  const child: ChildProcess = fork(resolve(BENCH_DIR, options.script), [], {
    execArgv: ['--import', 'tsx', ...(options.nodeFlags ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  let tail = '';
  const output = options.outputFile ? createWriteStream(options.outputFile, { flags: 'a' }) : undefined;
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (chunk: Buffer) => {
      output?.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-4000);
    });
  }
  child.once('exit', () => output?.end());
  const pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void; method: string }
  >();
  let nextId = 1;
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((done) =>
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : null);
      for (const call of pending.values())
        call.reject(new Error(`${options.name} exited (${signal ?? code}) during ${call.method}\n${tail}`));
      pending.clear();
      done(exitCode);
    }),
  );
  return new Promise((resolveReady, rejectReady) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rejectReady(new Error(`${options.name} did not start within ${options.readyTimeoutMs ?? 60_000} ms\n${tail}`));
    }, options.readyTimeoutMs ?? 60_000);
    void exited.then((code) => {
      clearTimeout(timer);
      rejectReady(new Error(`${options.name} exited (${code}) before it was ready\n${tail}`));
    });
    child.on('message', (message: Answer | Ready) => {
      if ('ready' in message) {
        clearTimeout(timer);
        resolveReady(handle(message.info as Info));
        return;
      }
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      if (message.ok) call.resolve(message.value);
      else call.reject(new Error(`${options.name}.${call.method} failed: ${message.error}`));
    });
  });

  function handle(info: Info): Child<Info> {
    return {
      name: options.name,
      pid: child.pid!,
      info,
      call<R>(method: string, params?: unknown): Promise<R> {
        if (exitCode !== undefined)
          return Promise.reject(new Error(`${options.name} has exited (${exitCode})\n${tail}`));
        const id = nextId++;
        return new Promise<R>((resolveCall, rejectCall) => {
          pending.set(id, { resolve: resolveCall as (value: unknown) => void, reject: rejectCall, method });
          child.send({ id, method, params } satisfies Call);
        });
      },
      async stop({ graceMs = 30_000, params }: { graceMs?: number; params?: unknown } = {}) {
        if (exitCode !== undefined) return;
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await this.call('stop', params).catch(() => undefined);
        await exited;
        clearTimeout(timer);
      },
      stderrTail: () => tail,
    };
  }
}
