import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** Starting the bot as a new user does: `npm start` with no Slack, database or Redis variables. */

export const REPO = resolve(import.meta.dirname, '../..');

/** A port nobody listens on now; PORT must be known before the bot starts, as a user would choose it. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The environment of someone who has not set anything up: no Slack, no database, no Redis. */
export function newUserEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      /^(npm_|INIT_CWD$|SLACK_|DATABASE_URL$|REDIS_URL$|DATA_DIR$|INCIDENTBOT_|PLAYBOOKS_DIR$|PORT$|METRICS_)/.test(
        key,
      ) ||
      /^(NODE_ENV$|LOG_|VITEST|NODE_OPTIONS$)/.test(key)
    )
      continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

export interface Started {
  child: ChildProcess;
  /** Everything it printed, for a failing test's message. */
  output(): string;
  /** The first stdout line matching, once printed. */
  line: string;
  exited: Promise<number | null>;
}

/**
 * Spawns `command <args>` and resolves once stdout prints a line matching `ready`; rejects if it exits first or
 * takes too long.
 */
export function start(
  command: string,
  args: string[],
  o: { cwd: string; env: NodeJS.ProcessEnv; ready: RegExp; timeoutMs?: number },
): Promise<Started> {
  // Its own process group, so a start that fails takes `npm start`'s children (the build, the bot) with it.
  const child = spawn(command, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  // A start that never got ready leaves nothing running: an orphaned bot would slow every test after it.
  const abandon = () => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  };
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      abandon();
      fail(new Error(`no line matching ${o.ready} within ${o.timeoutMs ?? 60_000} ms:\n${out}\n${err}`));
    }, o.timeoutMs ?? 60_000);
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => o.ready.test(l));
      if (line) {
        clearTimeout(timer);
        done({ child, output: () => `${out}\n${err}`, line, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`exited with ${code} before printing ${o.ready}:\n${out}\n${err}`));
    });
  });
}

/** SIGTERM and the exit code; SIGKILL after `graceMs` (then the code is null). */
export async function stop(started: Started, graceMs = 20_000): Promise<number | null> {
  if (started.child.exitCode !== null) return started.child.exitCode;
  started.child.kill('SIGTERM');
  const timer = setTimeout(() => started.child.kill('SIGKILL'), graceMs);
  const code = await started.exited;
  clearTimeout(timer);
  return code;
}
