import type { Backoff } from '../config/fields.js';
import type { TokenProviderConfig } from '../config/tokens.js';
import { backoffDelay } from '../domain/backoff.js';

/** One attempt: a value, or a sentence saying what went wrong and whether trying again can help. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; error: string; retry: boolean; retryAfterMs?: number };

export interface RetryOptions {
  /** Attempts after the first one. */
  retries: number;
  backoff: Backoff;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** True once the caller has gone away: no further attempt starts. */
  stopped?: () => boolean;
  onRetry?: (info: { attempt: number; delayMs: number; error: string }) => void;
}

/** Runs `attempt` until it succeeds, fails for good, or the retries are spent. */
export async function withRetries<T>(
  attempt: (n: number) => Promise<Attempt<T>>,
  options: RetryOptions,
): Promise<{ result: Attempt<T>; attempts: number }> {
  for (let n = 1; ; n++) {
    const result = await attempt(n);
    if (result.ok || !result.retry || n > options.retries || options.stopped?.()) return { result, attempts: n };
    // A server's Retry-After is honoured, up to the longest wait the policy allows.
    const delayMs = Math.max(
      backoffDelay(options.backoff, n - 1, options.random),
      Math.min(result.retryAfterMs ?? 0, options.backoff.max),
    );
    options.onRetry?.({ attempt: n, delayMs, error: result.error });
    await options.sleep(delayMs);
    if (options.stopped?.()) return { result, attempts: n };
  }
}

/** Retry-After in seconds or as an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1_000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** How long one refresh may hold the lock: every attempt timing out, every backoff at its longest, and the sink. */
export function lockBudget(config: TokenProviderConfig): number {
  let backoff = 0;
  for (let retry = 1; retry <= config.retries; retry++)
    backoff += backoffDelay({ ...config.backoff, jitter: false }, retry - 1);
  return (config.retries + 2) * config.timeout + backoff + 5_000;
}
