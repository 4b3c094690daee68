import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { Coordinator, FirstSeen, Lock } from './coordinator.js';
import { InProcessCoordinator } from './memory.js';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface RedisOptions {
  url: string;
  /** Prepended to every key: tests give each file its own. */
  prefix?: string;
  log: Logger;
}

/**
 * Coordination across replicas. Commands fail fast while Redis is down (no
 * offline queue) and each method falls back: dedupe answers 'unknown' so the
 * PostgreSQL key decides, locks fall back to this process, caches miss.
 */
export class RedisCoordinator implements Coordinator {
  readonly kind = 'redis' as const;
  readonly client: Redis;
  private readonly fallback = new InProcessCoordinator();
  private readonly log: Logger;
  private lastWarning = 0;

  constructor(options: RedisOptions) {
    this.log = options.log;
    this.client = new Redis(options.url, {
      keyPrefix: options.prefix ?? 'incidentbot:',
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 1_000,
      retryStrategy: (attempt) => Math.min(attempt * 250, 5_000),
    });
    this.client.on('error', (error) => this.warn('redis connection error', error));
  }

  async claimOnce(key: string, ttlMs: number): Promise<FirstSeen> {
    try {
      const result = await this.client.set(`seen:${key}`, '1', 'PX', ttlMs, 'NX');
      return result === 'OK' ? 'first' : 'seen';
    } catch (error) {
      this.warn('redis unavailable: dedupe falls back to PostgreSQL', error);
      return 'unknown';
    }
  }

  async tryLock(name: string, ttlMs: number): Promise<Lock | null> {
    const key = `lock:${name}`;
    const token = randomUUID();
    try {
      const result = await this.client.set(key, token, 'PX', ttlMs, 'NX');
      if (result !== 'OK') return null;
    } catch (error) {
      this.warn('redis unavailable: locks fall back to this process', error);
      return this.fallback.tryLock(name, ttlMs);
    }
    return {
      name,
      release: async () => {
        await this.client
          .eval(RELEASE, 1, key, token)
          .catch((error: unknown) => this.warn('redis unavailable: lock expires on its own', error));
      },
    };
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.client.get(`kv:${key}`)) ?? undefined;
    } catch (error) {
      this.warn('redis unavailable: cache miss', error);
      return this.fallback.get(key);
    }
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.fallback.set(key, value, ttlMs);
    try {
      await this.client.set(`kv:${key}`, value, 'PX', Math.max(1, Math.round(ttlMs)));
    } catch (error) {
      this.warn('redis unavailable: value kept in this process only', error);
    }
  }

  async delete(key: string): Promise<void> {
    await this.fallback.delete(key);
    await this.client.del(`kv:${key}`).catch((error: unknown) => this.warn('redis unavailable', error));
  }

  async increment(key: string, by = 1, ttlMs?: number): Promise<number> {
    try {
      const value = await this.client.incrby(`count:${key}`, by);
      // The first increment starts the window.
      if (ttlMs !== undefined && value === by) await this.client.pexpire(`count:${key}`, ttlMs);
      return value;
    } catch (error) {
      this.warn('redis unavailable: counting in this process', error);
      return this.fallback.increment(key, by, ttlMs);
    }
  }

  async ping(): Promise<boolean> {
    try {
      await this.client.ping();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }

  /** One warning per 10 s: a Redis outage must not flood the log. */
  private warn(message: string, error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    this.log.warn({ err: error }, message);
  }
}
