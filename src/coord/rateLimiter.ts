import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Coordinator } from './coordinator.js';
import { RedisCoordinator } from './redis.js';

/** So many points per fixed window of whole seconds (Redis expiries are in seconds). */
export interface Window {
  points: number;
  seconds: number;
}

/** Taken, with the points left in the window and when it ends; or not, and how long until the window ends. */
export type Taken = { taken: true; remaining: number; resetMs: number } | { taken: false; waitMs: number };

/** A fixed-window counter per key: shared by the replicas through Redis, in this process when there is none. */
export interface SharedWindow {
  take(key: string): Promise<Taken>;
  /** Gives a point back (taken, then not used). */
  giveBack(key: string): Promise<void>;
  /** Nothing more for `seconds` (Slack answered Retry-After). */
  block(key: string, seconds: number): Promise<void>;
}

/**
 * rate-limiter-flexible over the coordinator's Redis connection, with an
 * in-process window as insurance while Redis is away (each replica then keeps
 * its own count: the limit is kept per replica, never lost).
 */
export function sharedWindow(coord: Coordinator, name: string, window: Window): SharedWindow {
  const options = { keyPrefix: `slack-limit:${name}`, points: window.points, duration: window.seconds };
  const limiter =
    coord instanceof RedisCoordinator
      ? new RateLimiterRedis({
          ...options,
          storeClient: coord.client,
          insuranceLimiter: new RateLimiterMemory(options),
        })
      : new RateLimiterMemory(options);
  return {
    async take(key) {
      try {
        const res = await limiter.consume(key, 1);
        return { taken: true, remaining: res.remainingPoints, resetMs: Math.max(1, res.msBeforeNext) };
      } catch (error) {
        if (error instanceof RateLimiterRes) return { taken: false, waitMs: Math.max(1, error.msBeforeNext) };
        throw error;
      }
    },
    async giveBack(key) {
      await limiter.reward(key, 1);
    },
    async block(key, seconds) {
      await limiter.block(key, seconds);
    },
  };
}
