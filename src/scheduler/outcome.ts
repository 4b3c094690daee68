// What becomes of a claimed item: its handler runs, and its result (done, later, failed, rate limited) is recorded.
import { z } from 'zod';
import { retryAfterOf } from '../slackApi/errors.js';
import { withSlackPriority } from '../slackApi/priority.js';
import type { Clock } from '../clock.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../log.js';
import type { Database } from '../store/db.js';
import { completeWork, retryWork } from '../store/work.js';
import type { ClaimedWork } from './chains.js';

/** Waits before the next try of an item that failed, by attempt; the last one repeats. */
export const BACKOFF_MS = [2_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000];

/** The wait before the next try after `attempts` tries. */
export function backoffAfter(attempts: number): number {
  return BACKOFF_MS[Math.min(Math.max(attempts, 1) - 1, BACKOFF_MS.length - 1)]!;
}

export interface OutcomeOptions {
  db: Database;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  /** The worker holding the item: every write is fenced by its lease. */
  worker: string;
  maxAttempts?: number;
}

/**
 * Runs a claimed item's handler and records what came of it; an item of an unknown kind, or whose payload does not
 * parse, is completed saying so. Throws only when the outcome could not be recorded (the lease then decides).
 */
export async function runClaimed(options: OutcomeOptions, claimed: ClaimedWork): Promise<void> {
  const { db, clock, log, metrics, worker } = options;
  const { work } = claimed;
  if (claimed.state === 'unknown') {
    await completeWork(db, work.id, worker, clock.now(), `no handler for ${work.kind}`);
    log.error({ work: work.id, kind: work.kind }, 'scheduled work of an unknown kind');
    return;
  }
  // The payload is jsonb written by some version of the bot: one that does not parse is done, said and logged,
  // never retried (it would never parse) and never handed to a handler that trusts its type.
  if (claimed.state === 'unreadable') {
    const reason = `bad payload: ${z.prettifyError(claimed.error)}`.slice(0, 500);
    await completeWork(db, work.id, worker, clock.now(), reason);
    log.error({ work: work.id, kind: work.kind, reason }, 'scheduled work with a payload its kind cannot read');
    metrics.scheduledWork.inc({ kind: work.kind, outcome: 'bad_payload' });
    return;
  }
  const { handler, parsed, priority } = claimed;
  try {
    // Every Slack call the handler makes waits in the limiter at its kind's priority.
    const result = await withSlackPriority(priority, () => handler.run(parsed, worker));
    if ('retryAt' in result) {
      await retryWork(db, work.id, worker, result.retryAt, result.reason, {
        countAttempt: result.countAttempt ?? true,
        now: clock.now(),
      });
      metrics.scheduledWork.inc({ kind: work.kind, outcome: 'deferred' });
      return;
    }
    if ('done' in result) await completeWork(db, work.id, worker, clock.now(), result.done);
    metrics.scheduledWork.inc({ kind: work.kind, outcome: 'done' });
  } catch (error) {
    const now = clock.now();
    const waitSeconds = retryAfterOf(error);
    if (waitSeconds !== undefined) {
      // Slack asked us to wait: not a failure, the item goes out after Retry-After.
      await retryWork(
        db,
        work.id,
        worker,
        new Date(now.getTime() + waitSeconds * 1_000),
        `rate limited for ${waitSeconds}s`,
        { countAttempt: false, now },
      );
      metrics.scheduledWork.inc({ kind: work.kind, outcome: 'rate_limited' });
      return;
    }
    const give_up = work.attempts >= (options.maxAttempts ?? 8);
    const failure = `failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500);
    log.warn(
      { err: error, work: work.id, kind: work.kind, attempt: work.attempts },
      give_up ? 'scheduled work failed for good' : 'scheduled work failed; will retry',
    );
    if (give_up) await completeWork(db, work.id, worker, now, failure);
    else await retryWork(db, work.id, worker, new Date(now.getTime() + backoffAfter(work.attempts)), failure, { now });
    metrics.scheduledWork.inc({ kind: work.kind, outcome: give_up ? 'failed' : 'retry' });
  }
}
