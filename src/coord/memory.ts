import { randomUUID } from 'node:crypto';
import type { Coordinator, FirstSeen, Lock } from './coordinator.js';

/** Coordination for one replica: the same contract as Redis, held in this process. */
export class InProcessCoordinator implements Coordinator {
  readonly kind = 'in-process' as const;
  private readonly values = new Map<string, { value: string; expires: number }>();
  private readonly counters = new Map<string, number>();
  private sweeps = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async claimOnce(key: string, ttlMs: number): Promise<FirstSeen> {
    if (this.live(key) !== undefined) return 'seen';
    this.store(key, '1', ttlMs);
    return 'first';
  }

  async tryLock(name: string, ttlMs: number): Promise<Lock | null> {
    const key = `lock:${name}`;
    if (this.live(key) !== undefined) return null;
    const token = randomUUID();
    this.store(key, token, ttlMs);
    return {
      name,
      release: async () => {
        if (this.live(key) === token) this.values.delete(key);
      },
    };
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.store(key, value, ttlMs);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  async increment(key: string, by = 1, ttlMs?: number): Promise<number> {
    if (ttlMs === undefined) {
      const next = (this.counters.get(key) ?? 0) + by;
      this.counters.set(key, next);
      return next;
    }
    // A windowed counter lives with the values, so it expires (and is swept) like them.
    const next = Number(this.live(`count:${key}`) ?? 0) + by;
    const expires = this.values.get(`count:${key}`)?.expires;
    this.store(`count:${key}`, String(next), next === by || expires === undefined ? ttlMs : expires - this.now());
    return next;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.values.clear();
  }

  private live(key: string): string | undefined {
    const entry = this.values.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.values.delete(key);
      return undefined;
    }
    return entry.value;
  }

  private store(key: string, value: string, ttlMs: number): void {
    this.values.set(key, { value, expires: this.now() + ttlMs });
    // Expired keys are dropped as they are read; sweep now and then so unread ones do not pile up.
    if (++this.sweeps % 1_000 === 0) for (const k of [...this.values.keys()]) this.live(k);
  }
}
