import { spawn } from 'node:child_process';

export interface ProcessOptions {
  cwd?: string;
  /** Environment variables passed through by name; nothing else is inherited except PATH. */
  envAllow?: readonly string[];
  /** Extra variables set explicitly (never from user input). */
  env?: Readonly<Record<string, string>>;
  timeoutMs: number;
  /** Output beyond this many characters is cut, with a note saying how much. */
  maxOutput: number;
  signal?: AbortSignal;
  /** How long a process has between SIGTERM and SIGKILL. */
  killGraceMs?: number;
  /** Called with the child's pid once it runs; it leads its own process group, so the pid is the group's id too. */
  onSpawn?: (pid: number) => void;
}

export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** stdout and stderr as they arrived, truncated to `maxOutput`. */
  output: string;
  truncated: boolean;
  durationMs: number;
  /** Set when the program could not be started at all (ENOENT, EACCES). */
  spawnError?: string;
}

/**
 * Runs an argv array without a shell: the first element is the program, the
 * rest are its arguments exactly as given, so nothing in them is ever
 * interpreted. The process gets its own process group, so a timeout kills
 * whatever it started too.
 */
export function runProcess(argv: readonly string[], options: ProcessOptions): Promise<ProcessResult> {
  const [program, ...args] = argv;
  if (!program) throw new Error('runProcess needs a program');
  const env: Record<string, string> = {};
  for (const name of ['PATH', ...(options.envAllow ?? [])]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, options.env);
  const started = performance.now();
  return new Promise((resolve) => {
    let output = '';
    let dropped = 0;
    let timedOut = false;
    let settled = false;
    const child = spawn(program, args, {
      cwd: options.cwd,
      env,
      shell: false,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    child.once('spawn', () => {
      if (child.pid) options.onSpawn?.(child.pid);
    });
    const collect = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      const room = options.maxOutput - output.length;
      if (room > 0) output += text.slice(0, room);
      dropped += Math.max(0, text.length - Math.max(room, 0));
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        child.kill(signal);
      }
    };
    const stop = () => {
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? 2_000).unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const onAbort = () => stop();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (result: Omit<ProcessResult, 'output' | 'truncated' | 'durationMs' | 'timedOut'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      const truncated = dropped > 0;
      resolve({
        ...result,
        timedOut,
        truncated,
        output: truncated ? `${output}\n… ${dropped} more characters not shown` : output,
        durationMs: performance.now() - started,
      });
    };
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish({ exitCode: null, signal: null, spawnError: `${error.code ?? 'error'}: cannot run ${program}` }),
    );
    child.on('close', (exitCode, signal) => finish({ exitCode, signal }));
  });
}
