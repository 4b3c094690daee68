import { randomUUID } from 'node:crypto';
import type { WorkHandler } from '../app/work/types.js';
import type { Clock } from '../clock.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../log.js';
import type { Database } from '../store/db.js';
import { type Work, claimDueWork, claimWork, renewWork } from '../store/work.js';
import { Chains, type ClaimedWork, chainOf, readClaimed } from './chains.js';
import { runClaimed } from './outcome.js';

export interface WorkerOptions {
  db: Database;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  /** Each kind's payload schema and use case; an item of a kind not here is completed, `no handler for <kind>`. */
  handlers: Readonly<Record<string, WorkHandler>>;
  /**
   * How long a claimed item is this worker's before another may take it over. The worker renews it every
   * `heartbeatMs` while it works on the item, so only a worker that died (or lost its database) loses it.
   */
  leaseMs?: number;
  /** How often the leases of the items in hand are renewed (real time). Default: a third of the lease. */
  heartbeatMs?: number;
  /** How many items this worker holds at once. */
  batch?: number;
  maxAttempts?: number;
}

/** A dead replica's items are taken over within this (plus a tick); the holder renews it every 5 s. */
export const LEASE_MS = 15_000;

export { BACKOFF_MS, backoffAfter } from './outcome.js';

/**
 * Drains due work from PostgreSQL. Any number of workers (replicas) can run:
 * claiming is one statement with SKIP LOCKED, completion is fenced by the
 * lease, and a worker that dies leaves its items to be taken over when the
 * lease runs out; a live worker keeps renewing the leases of the items it
 * holds (its heartbeat), so the lease can be short. Time is the injected
 * clock, so tests and the playground can move it.
 *
 * Items of one incident run in order; different incidents run side by side,
 * and a slow item (Slack slow to answer) holds only its own incident: the
 * worker claims more while it runs, up to `batch` items in hand.
 */
export class DueWorker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private running: Promise<number> | undefined;
  private stopped = false;
  /** Items claimed and not yet finished, by id. */
  private readonly inHand = new Map<number, Work>();
  /** The runs of the items the drain dispatched, by id: `runNow` of an item a tick took first waits for its run. */
  private readonly runs = new Map<number, Promise<void>>();
  /** Each incident's chain of items in hand (chains.ts). */
  private readonly chains = new Chains();
  /** Set when the drain should look for due work again (a tick, an item done); `wakeDrain` ends its wait. */
  private poked = false;
  private wakeDrain: (() => void) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly options: WorkerOptions) {}

  private get leaseMs(): number {
    return this.options.leaseMs ?? LEASE_MS;
  }

  /** Runs everything due now; resolves with how many items ran, once nothing is due or in hand. */
  tick(): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    if (this.running) {
      this.poke();
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * Looks for due work now without waiting for the drain (node-cron's second): a drain in progress claims again.
   * Work falls due by the clock, with nobody to wake the worker: while items are in hand for long (renders waiting
   * for Slack's Tier 3), this is what makes it claim an escalation that fell due meanwhile.
   */
  nudge(): void {
    this.tick().catch((error: unknown) => this.options.log.warn({ err: error }, 'the due-work drain failed'));
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
      work = await claimWork(db, id, this.id, clock.now(), this.leaseMs);
    } catch (error) {
      log.warn({ err: error, work: id }, 'could not claim the work to run it now; a tick will');
      return;
    }
    // A tick of this worker took it first (the race an opener loses on a busy machine): its run is as good.
    if (!work) return this.runs.get(id);
    // In hand like a claimed item, so the heartbeat keeps its lease while Slack is slow.
    this.inHand.set(work.id, work);
    this.startHeartbeat();
    try {
      await this.run(readClaimed(this.options.handlers, work));
    } finally {
      this.inHand.delete(work.id);
      if (this.inHand.size === 0) this.stopHeartbeat();
    }
  }

  /** Stops claiming; waits for the items in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.poke();
    await this.running;
  }

  /** How many items this worker holds now. */
  get holding(): number {
    return this.inHand.size;
  }

  /** The kinds of the items in hand and how many of each: what a slow stop is waiting for. */
  heldKinds(): Record<string, number> {
    const kinds: Record<string, number> = {};
    for (const work of this.inHand.values()) kinds[work.kind] = (kinds[work.kind] ?? 0) + 1;
    return kinds;
  }

  private poke(): void {
    this.poked = true;
    const wake = this.wakeDrain;
    this.wakeDrain = undefined;
    wake?.();
  }

  private async drain(): Promise<number> {
    const { db, clock } = this.options;
    const batch = this.options.batch ?? 25;
    let total = 0;
    let lastClaimFull = false;
    for (;;) {
      this.poked = false;
      const room = batch - this.inHand.size;
      let claimed: Work[] = [];
      try {
        if (!this.stopped && room > 0) claimed = await claimDueWork(db, this.id, clock.now(), this.leaseMs, room);
      } catch (error) {
        // PostgreSQL away: nothing was claimed, nothing is lost; the next tick (node-cron, every second) tries again.
        this.options.log.warn({ err: error }, 'cannot claim due work (is PostgreSQL reachable?); will try again');
        this.options.metrics.scheduledWork.inc({ kind: 'claim', outcome: 'failed' });
        if (this.inHand.size === 0) return total;
      }
      lastClaimFull = room > 0 && claimed.length === room;
      total += claimed.length;
      for (const work of claimed) this.dispatch(work, () => lastClaimFull, batch);
      if (claimed.length > 0) continue;
      // this.poked is set by tick() and by finished items while this loop awaits; narrowing cannot see that.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      if (this.poked && !this.stopped) continue;
      if (this.inHand.size === 0) return total;
      await new Promise<void>((resolve) => (this.wakeDrain = resolve));
    }
  }

  /**
   * Starts an item after the items of its incident already in hand, and a page after its incident's other pages
   * only: a thread post waiting for a busy channel's Slack budget never holds up a page in the same incident.
   */
  private dispatch(work: Work, claimWasFull: () => boolean, batch: number): void {
    this.inHand.set(work.id, work);
    this.startHeartbeat();
    const claimed = readClaimed(this.options.handlers, work);
    const run = this.chains.append(chainOf(claimed), {
      run: () => this.run(claimed),
      failed: (error) =>
        // PostgreSQL away while recording the outcome: the lease runs out and the item is tried again.
        this.options.log.error({ err: error, work: work.id, kind: work.kind }, 'scheduled work outcome not recorded'),
      settled: () => {
        this.inHand.delete(work.id);
        this.runs.delete(work.id);
        if (this.inHand.size === 0) this.stopHeartbeat();
        // Room again: more may be due than the last (full) claim took; refilled by halves, so a busy worker
        // claims about twice per batch, not once per item. Or the drain is waiting for its last items.
        if (this.inHand.size === 0 || (claimWasFull() && this.inHand.size <= batch / 2)) this.poke();
      },
    });
    this.runs.set(work.id, run);
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    const every = this.options.heartbeatMs ?? Math.floor(this.leaseMs / 3);
    this.heartbeat = setInterval(() => {
      this.renewLeases().catch((error: unknown) =>
        this.options.log.warn(
          { err: error, worker: this.id },
          'lease not renewed: the items in hand may be taken over',
        ),
      );
    }, every);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** The heartbeat: the items in hand stay this worker's while it works on them. */
  private async renewLeases(): Promise<void> {
    const { db, clock, log } = this.options;
    const ids = [...this.inHand.keys()];
    if (ids.length === 0) return;
    try {
      const kept = new Set(await renewWork(db, ids, this.id, clock.now(), this.leaseMs));
      const lost = ids.filter((id) => !kept.has(id) && this.inHand.has(id));
      for (const id of lost) {
        const kind = this.inHand.get(id)?.kind ?? 'unknown';
        this.options.metrics.scheduledWork.inc({ kind, outcome: 'lease_lost' });
      }
      if (lost.length > 0)
        log.warn(
          { worker: this.id, lost },
          'lease lost: another worker took these items over; their outcome is fenced',
        );
    } catch (error) {
      log.warn({ err: error, worker: this.id }, 'lease not renewed: the items in hand may be taken over');
    }
  }

  /** Runs one claimed item; never throws (a failure to record its outcome leaves it to its lease). */
  private async run(claimed: ClaimedWork): Promise<void> {
    const { work } = claimed;
    try {
      await runClaimed({ ...this.options, worker: this.id }, claimed);
    } catch (error) {
      // Recording the outcome failed (PostgreSQL away): the item is still leased to us and runs again when it expires.
      this.options.log.warn(
        { err: error, work: work.id, kind: work.kind },
        'could not record the outcome of scheduled work; it runs again when its lease expires',
      );
    }
  }
}
