import { setTimeout as delay } from 'node:timers/promises';
import type { Coordinator } from '../coord/coordinator.js';

export type Coordinated<T, V> =
  | { kind: 'held'; value: V }
  | { kind: 'shared'; found: T; waited: boolean }
  | { kind: 'timed-out' }
  | { kind: 'stopped' };

export interface CoordinateOptions<T> {
  coord: Coordinator;
  lock: string;
  /** The lock's TTL, and how long to wait for another holder. */
  budgetMs: number;
  signal: AbortSignal;
  /** Reads the shared result (the token cache). */
  read: () => Promise<T | undefined>;
  /** True when what `read` found makes our own call unnecessary. */
  satisfied: (found: T | undefined) => found is T;
  pollMs?: number;
}

/**
 * One call across replicas: whoever takes the lock runs `work`; the others
 * poll the shared result until it satisfies them or the lock comes free (the
 * holder failed or died), then check again under the lock before running
 * `work` themselves. Bounded by `budgetMs`.
 */
export async function coordinate<T, V>(
  options: CoordinateOptions<T>,
  work: () => Promise<V>,
): Promise<Coordinated<T, V>> {
  const { coord, signal, satisfied } = options;
  const deadline = performance.now() + options.budgetMs;
  for (let waited = false; ; waited = true) {
    if (signal.aborted) return { kind: 'stopped' };
    const lock = await coord.tryLock(options.lock, options.budgetMs);
    if (lock) {
      try {
        const found = await options.read();
        if (satisfied(found)) return { kind: 'shared', found, waited };
        return { kind: 'held', value: await work() };
      } finally {
        await lock.release();
      }
    }
    if (performance.now() >= deadline) return { kind: 'timed-out' };
    await delay(options.pollMs ?? 25, undefined, { signal }).catch(() => undefined);
    const found = await options.read();
    if (satisfied(found)) return { kind: 'shared', found, waited: true };
  }
}
