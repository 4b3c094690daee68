import type { Logger } from './log.js';
import { isDatabaseUnavailable } from './store/db.js';
import { thrownText } from './errors.js';

/**
 * What the process does with an error nobody caught. An incident bot is
 * needed most when its neighbours fail, so a dependency failing (PostgreSQL,
 * Redis, Slack, the network) never ends the process: it is logged, and the
 * work it interrupted is retried by whoever owns it (durable work by its
 * lease, a request by Slack's retry). The process exits only on an uncaught
 * exception that is not a dependency failure: a programming error, after
 * which its state cannot be trusted; the log line says so. A rejected promise
 * nobody handled has already unwound, so it is logged and the process stays up.
 */
export function isDependencyFailure(error: unknown): boolean {
  if (isDatabaseUnavailable(error)) return true;
  const code = thrownText(error, 'code') ?? '';
  const name = thrownText(error, 'name') ?? '';
  const message = thrownText(error, 'message') ?? '';
  return (
    code.startsWith('slack_') ||
    code.startsWith('UND_ERR') ||
    /^E(CONN|PIPE|HOSTUNREACH|NETUNREACH|AI_AGAIN|TIMEDOUT|NOTFOUND)/.test(code) ||
    name === 'MaxRetriesPerRequestError' ||
    name === 'AbortError' ||
    name === 'TimeoutError' ||
    /Connection is closed|Stream isn't writeable|fetch failed|socket hang up/i.test(message)
  );
}

export interface CrashGuards {
  unhandledRejection: (reason: unknown) => void;
  uncaughtException: (error: unknown) => void;
}

/** The handlers main.ts installs on `process`; `exit` is process.exit there. */
export function crashGuards(log: Logger, exit: (code: number) => void): CrashGuards {
  return {
    unhandledRejection: (reason) => {
      log.error(
        { err: reason, dependency: isDependencyFailure(reason) },
        'a background task failed and nobody handled it; staying up (its work is retried by its owner)',
      );
    },
    uncaughtException: (error) => {
      if (isDependencyFailure(error)) {
        log.error({ err: error }, 'a dependency failed outside any request; staying up');
        return;
      }
      log.fatal(
        { err: error },
        'exiting: an uncaught exception that is not a dependency failure is a programming error, ' +
          'and the process state cannot be trusted after it',
      );
      exit(1);
    },
  };
}
