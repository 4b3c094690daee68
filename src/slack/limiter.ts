import type { Coordinator } from '../coord/coordinator.js';
import { type Bucket, type SharedBucket, sharedBucket } from '../coord/rateLimiter.js';
import type { Logger } from '../log.js';
import { PRIORITY_RANK, type SlackPriority } from '../slackApi/priority.js';
import { type PaceKey, type PaceTable, SLACK_PACE, paceKeysFor } from './limits.js';

/**
 * One limiter in front of every Web API call the bot makes (the clients'
 * fetch, slack/fetch.ts): a call waits here until each of its windows
 * (limits.ts: token buckets) has a call left, shared by the replicas through Redis.
 *
 * Waiting calls are served by priority, then in order of arrival: a call
 * whose window is spent holds that window for every call behind it, so a
 * stakeholder update never takes the point a page is waiting for. Across
 * replicas, low priorities leave part of each shared bucket's burst (a method,
 * the workspace's posts) unspent, for the pages another replica may be holding.
 */
export interface LimiterOptions {
  coord: Coordinator;
  log: Logger;
  pace?: PaceTable;
}

interface Waiter {
  method: string;
  priority: SlackPriority;
  keys: PaceKey[];
  since: number;
  seq: number;
  admit(how: Admitted): void;
}

/** How a call left the queue: sent now, or turned away because this replica is stopping. */
export type Admitted = 'send' | 'stopping';

/** The share of a shared window each priority leaves unspent for higher ones. */
const RESERVE: Readonly<Record<SlackPriority, number>> = {
  'first-page': 0,
  page: 0,
  answer: 0,
  live: 0,
  thread: 0.1,
  stakeholder: 0.2,
};

export interface LimiterSnapshot {
  queued: Array<{ method: string; priority: SlackPriority; count: number }>;
  /** Seconds the oldest page (or answer) has waited here; 0 when none waits. */
  oldestPageS: number;
}

export class SlackLimiter {
  private readonly pace: PaceTable;
  private readonly windows = new Map<string, SharedBucket>();
  private readonly waiting: Waiter[] = [];
  /** Keys known spent, until when (performance.now()): waiters on them are skipped without asking Redis. */
  private readonly spentUntil = new Map<string, number>();
  private seq = 0;
  private pumping = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;

  constructor(private readonly options: LimiterOptions) {
    this.pace = options.pace ?? SLACK_PACE;
  }

  private closed = false;

  /** Resolves when the call may be sent, or at once with `stopping` once the limiter is closed. */
  acquire(method: string, channel: string | undefined, priority: SlackPriority): Promise<Admitted> {
    if (this.closed) return Promise.resolve('stopping');
    const keys = paceKeysFor(this.pace, method, channel);
    return new Promise<Admitted>((admit) => {
      this.waiting.push({ method, priority, keys, since: performance.now(), seq: this.seq++, admit });
      this.waiting.sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || a.seq - b.seq);
      this.pump();
    });
  }

  snapshot(): LimiterSnapshot {
    const counts = new Map<string, { method: string; priority: SlackPriority; count: number }>();
    let oldest = Infinity;
    for (const w of this.waiting) {
      const entry = counts.get(`${w.method}\n${w.priority}`) ?? { method: w.method, priority: w.priority, count: 0 };
      entry.count++;
      counts.set(`${w.method}\n${w.priority}`, entry);
      if (PRIORITY_RANK[w.priority] <= PRIORITY_RANK.page) oldest = Math.min(oldest, w.since);
    }
    return {
      queued: [...counts.values()],
      oldestPageS: oldest === Infinity ? 0 : (performance.now() - oldest) / 1_000,
    };
  }

  /**
   * The replica is stopping: whoever waits, and whoever asks from now on, is turned away rather than sent (a burst
   * would meet Slack's 429s) or kept (a stop would wait out minutes of Slack's pace): their work goes back to the
   * queue, for this or another replica.
   */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const w of this.waiting.splice(0)) w.admit('stopping');
  }

  private id(key: PaceKey): string {
    return `${key.window}\n${key.key}`;
  }

  private window(name: string): SharedBucket {
    let window = this.windows.get(name);
    if (!window) {
      window = sharedBucket(this.options.coord, name, this.spec(name));
      this.windows.set(name, window);
    }
    return window;
  }

  private spec(name: string): Bucket {
    if (name === 'posts-channel') return this.pace.postsPerChannel;
    if (name === 'posts-workspace') return this.pace.postsPerWorkspace;
    return this.pace.tiers[Number(name.slice('tier-'.length)) as 1 | 2 | 3 | 4];
  }

  /** One pass over the waiters at a time; a call arriving during a pass makes another. */
  private pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void this.pass()
      .catch((error: unknown) => this.options.log.error({ err: error }, 'the Slack limiter failed a pass'))
      .finally(() => {
        this.pumping = false;
        if (this.again) {
          this.again = false;
          this.pump();
        }
      });
  }

  private async pass(): Promise<void> {
    const held = new Set<string>();
    let nextMs = Infinity;
    for (const waiter of [...this.waiting]) {
      const ids = waiter.keys.map((k) => this.id(k));
      if (ids.some((id) => held.has(id))) continue;
      const now = performance.now();
      const spent = ids.map((id) => this.spentUntil.get(id) ?? 0).find((until) => until > now);
      if (spent !== undefined) {
        for (const id of ids) held.add(id);
        nextMs = Math.min(nextMs, spent - now);
        continue;
      }
      const waitMs = await this.take(waiter);
      if (waitMs === 0) {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        waiter.admit('send');
      } else {
        for (const id of ids) held.add(id);
        nextMs = Math.min(nextMs, waitMs);
      }
    }
    if (this.waiting.length > 0 && nextMs !== Infinity) this.schedule(nextMs);
  }

  /** Takes a point from each of the waiter's windows (0), or gives back what it took and answers the wait. */
  private async take(waiter: Waiter): Promise<number> {
    const taken: PaceKey[] = [];
    for (const key of waiter.keys) {
      let result;
      try {
        result = await this.window(key.window).take(key.key);
      } catch (error) {
        // The limiter is a courtesy to Slack, not a gate on paging: a failing store lets the call go.
        this.options.log.warn({ err: error }, 'the Slack limiter could not count a call; sending it anyway');
        continue;
      }
      const spec = this.spec(key.window);
      const reserve = key.shared ? Math.floor(spec.burst * RESERVE[waiter.priority]) : 0;
      if (result.taken && result.remaining >= reserve) {
        taken.push(key);
        continue;
      }
      if (result.taken) taken.push(key);
      // Taken into the reserve: given back, and asked again once the bucket has gained a call.
      const waitMs = result.taken ? 60_000 / spec.perMinute : result.waitMs;
      if (!result.taken) this.spentUntil.set(this.id(key), performance.now() + waitMs);
      await Promise.all(
        taken.map((k) =>
          this.window(k.window)
            .giveBack(k.key)
            .catch(() => undefined),
        ),
      );
      return waitMs;
    }
    return 0;
  }

  /** A pass in `ms`, unless one is due sooner. */
  private schedule(ms: number): void {
    const at = performance.now() + Math.max(5, Math.ceil(ms));
    if (this.timer && this.timerAt <= at) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, at - performance.now());
    this.timer.unref();
  }
}
