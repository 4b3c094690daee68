/**
 * Coordination that may be lost without losing data: request dedupe, locks,
 * the token cache. Redis across replicas; in-process for a single replica.
 * Every method degrades instead of throwing when Redis is unreachable: the
 * durable guard behind each use (a unique key in PostgreSQL) still holds.
 */
export interface Lock {
  readonly name: string;
  release(): Promise<void>;
}

export type FirstSeen = 'first' | 'seen' | 'unknown';

export interface Coordinator {
  readonly kind: 'redis' | 'in-process';
  /** 'first' the first time a key is claimed within `ttlMs`, 'seen' after; 'unknown' when the store is unreachable. */
  claimOnce(key: string, ttlMs: number): Promise<FirstSeen>;
  /** Takes a lock, or returns null when someone else holds it. */
  tryLock(name: string, ttlMs: number): Promise<Lock | null>;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Adds to a counter shared by replicas and returns the new value (in-process when unreachable). With `ttlMs`,
   * the counter is forgotten that long after its first increment (a fixed window: rate limits).
   */
  increment(key: string, by?: number, ttlMs?: number): Promise<number>;
  /** True when the store answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Runs `fn` under a lock, waiting up to `waitMs` for it; returns undefined when it never came free. */
export async function withLock<T>(
  coord: Coordinator,
  name: string,
  options: { ttlMs: number; waitMs: number; pollMs?: number },
  fn: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    const lock = await coord.tryLock(name, options.ttlMs);
    if (lock) {
      try {
        return { ran: true, value: await fn() };
      } finally {
        await lock.release();
      }
    }
    if (Date.now() >= deadline) return { ran: false };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 25));
  }
}
