import { randomUUID } from 'node:crypto';
import type { WorkHandler } from '../app/work/types.js';
import { retryAfterOf } from '../notify/deliver.js';
import type { Clock } from '../clock.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../log.js';
import type { Database } from '../store/db.js';
import { type Work, claimDueWork, claimWork, completeWork, retryWork } from '../store/work.js';

export interface WorkerOptions {
  db: Database;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  handlers: Record<string, WorkHandler>;
  /** How long a claimed item is this worker's before another may take it over. */
  leaseMs?: number;
  batch?: number;
  maxAttempts?: number;
}

const BACKOFF_MS = [2_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000];

/**
 * Drains due work from PostgreSQL. Any number of workers (replicas) can run:
 * claiming is one statement with SKIP LOCKED, completion is fenced by the
 * lease, and a worker that dies leaves its items to be taken over when the
 * lease runs out. Time is the injected clock, so tests and the playground
 * can move it.
 */
export class DueWorker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private running: Promise<number> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly options: WorkerOptions) {}

  /** Runs everything due now; a tick asked for while one runs makes that one go round again. */
  tick(): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * Runs one item now, if nobody holds it (the opener's process places its incident without waiting for a tick);
   * like a tick, it logs and survives a failure.
   */
  async runNow(id: number): Promise<void> {
    if (this.stopped) return;
    const { db, clock, log } = this.options;
    let work: Work | undefined;
    try {
      work = await claimWork(db, id, this.id, clock.now(), this.options.leaseMs ?? 120_000);
    } catch (error) {
      log.warn({ err: error, work: id }, 'could not claim the work to run it now; a tick will');
      return;
    }
    if (work) await this.run(work);
  }

  /** Stops claiming; waits for the items in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async drain(): Promise<number> {
    let total = 0;
    do {
      this.again = false;
      for (;;) {
        if (this.stopped) return total;
        let claimed: Work[];
        try {
          claimed = await claimDueWork(
            this.options.db,
            this.id,
            this.options.clock.now(),
            this.options.leaseMs ?? 120_000,
            this.options.batch ?? 25,
          );
        } catch (error) {
          // PostgreSQL away: nothing was claimed, nothing is lost; the next tick (node-cron, every second) tries again.
          this.options.log.warn({ err: error }, 'cannot claim due work (is PostgreSQL reachable?); will try again');
          this.options.metrics.scheduledWork.inc({ kind: 'claim', outcome: 'failed' });
          return total;
        }
        if (claimed.length === 0) break;
        // Items of one incident run in order; different incidents run side by side.
        const byIncident = new Map<string, Work[]>();
        for (const work of claimed)
          byIncident.set(String(work.incidentId ?? `w${work.id}`), [
            ...(byIncident.get(String(work.incidentId ?? `w${work.id}`)) ?? []),
            work,
          ]);
        await Promise.all(
          [...byIncident.values()].map(async (items) => {
            for (const work of items) await this.run(work);
          }),
        );
        total += claimed.length;
      }
      // tick() sets `again` while this loop awaits; the compiler's narrowing cannot see that.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    } while (this.again);
    return total;
  }

  /** Runs one claimed item; never throws (a failure to record its outcome leaves it to its lease). */
  private async run(work: Work): Promise<void> {
    try {
      await this.runHandler(work);
    } catch (error) {
      // Recording the outcome failed (PostgreSQL away): the item is still leased to us and runs again when it expires.
      this.options.log.warn(
        { err: error, work: work.id, kind: work.kind },
        'could not record the outcome of scheduled work; it runs again when its lease expires',
      );
    }
  }

  private async runHandler(work: Work): Promise<void> {
    const { db, clock, log, metrics, handlers } = this.options;
    const handler = handlers[work.kind];
    if (!handler) {
      await completeWork(db, work.id, this.id, clock.now(), `no handler for ${work.kind}`);
      log.error({ work: work.id, kind: work.kind }, 'scheduled work of an unknown kind');
      return;
    }
    try {
      const result = await handler(work, this.id);
      if ('retryAt' in result) {
        await retryWork(db, work.id, this.id, result.retryAt, result.reason, {
          countAttempt: result.countAttempt ?? true,
        });
        metrics.scheduledWork.inc({ kind: work.kind, outcome: 'deferred' });
        return;
      }
      if ('done' in result) await completeWork(db, work.id, this.id, clock.now(), result.done);
      metrics.scheduledWork.inc({ kind: work.kind, outcome: 'done' });
    } catch (error) {
      const now = clock.now();
      const waitSeconds = retryAfterOf(error);
      if (waitSeconds !== undefined) {
        // Slack asked us to wait: not a failure, the item goes out after Retry-After.
        await retryWork(
          db,
          work.id,
          this.id,
          new Date(now.getTime() + waitSeconds * 1_000),
          `rate limited for ${waitSeconds}s`,
          { countAttempt: false },
        );
        metrics.scheduledWork.inc({ kind: work.kind, outcome: 'rate_limited' });
        return;
      }
      const give_up = work.attempts >= (this.options.maxAttempts ?? 8);
      log.warn(
        { err: error, work: work.id, kind: work.kind, attempt: work.attempts },
        give_up ? 'scheduled work failed for good' : 'scheduled work failed; will retry',
      );
      if (give_up) await completeWork(db, work.id, this.id, now, `failed: ${(error as Error).message}`.slice(0, 500));
      else
        await retryWork(
          db,
          work.id,
          this.id,
          new Date(now.getTime() + BACKOFF_MS[Math.min(work.attempts - 1, BACKOFF_MS.length - 1)]!),
          `failed: ${(error as Error).message}`.slice(0, 500),
        );
      metrics.scheduledWork.inc({ kind: work.kind, outcome: give_up ? 'failed' : 'retry' });
    }
  }
}
