/**
 * Slack's rate limits, one method (and for posts, one channel) at a time.
 *
 * @slack/web-api answers a 429 by pausing its whole request queue for
 * Retry-After (every method, every channel, every incident), unless the
 * client is built with `rejectRateLimitedCalls`, when it throws instead. Both
 * of our clients reject; this gate remembers each Retry-After by key, so the
 * next call with that key waits (when the wait is short) or is refused at once
 * without reaching Slack (when it is long: durable work reschedules itself at
 * Retry-After), while calls with any other key go straight through.
 */
import { thrownField } from '../errors.js';

const RATE_LIMITED = 'slack_webapi_rate_limited_error';

/** What a refused call throws: shaped like WebClient's own rate-limit error, so one check reads both. */
export class RateLimitedError extends Error {
  readonly code = RATE_LIMITED;
  constructor(
    readonly method: string,
    /** Seconds until the key may be called again, like Retry-After. */
    readonly retryAfter: number,
  ) {
    super(`Slack rate limits ${method} for another ${retryAfter}s`);
  }
}

/** Methods Slack limits per channel (chat.postMessage: about one message a second in each channel). */
const PER_CHANNEL = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'chat.delete']);

/** Which calls one Retry-After holds. */
export function limitKey(method: string, channel?: string): string {
  return PER_CHANNEL.has(method) && channel ? `${method}:${channel}` : method;
}

const retryAfterSeconds = (error: unknown): number | undefined => {
  if (thrownField(error, 'code') !== RATE_LIMITED) return undefined;
  const after = thrownField(error, 'retryAfter');
  return typeof after === 'number' ? after : 1;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RateLimitGate {
  private readonly until = new Map<string, number>();

  /**
   * @param now milliseconds, from the injected clock (a test moving the clock moves Retry-After with it).
   * @param maxWaitMs the longest a call waits for its key; a longer Retry-After is thrown to the caller.
   */
  constructor(
    private readonly now: () => number,
    private readonly maxWaitMs: number,
  ) {}

  /** How long calls with this key must still wait (0: free). */
  waitMs(key: string): number {
    const until = this.until.get(key);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left <= 0) this.until.delete(key);
    return Math.max(0, left);
  }

  /** Calls `fn` under the key's limit: waits out a short Retry-After (once), refuses a long one. */
  async call<T>(method: string, channel: string | undefined, fn: () => Promise<T>): Promise<T> {
    const key = limitKey(method, channel);
    const wait = this.waitMs(key);
    if (wait > this.maxWaitMs) throw new RateLimitedError(method, Math.ceil(wait / 1_000));
    if (wait > 0) await sleep(wait);
    try {
      return await this.noting(key, fn);
    } catch (error) {
      const seconds = retryAfterSeconds(error);
      if (seconds === undefined || seconds * 1_000 > this.maxWaitMs) throw error;
      await sleep(seconds * 1_000);
      return this.noting(key, fn);
    }
  }

  private async noting<T>(key: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const seconds = retryAfterSeconds(error);
      if (seconds !== undefined) this.until.set(key, Math.max(this.until.get(key) ?? 0, this.now() + seconds * 1_000));
      throw error;
    }
  }
}
