import type { Backoff } from '../config/fields.js';
import { backoffDelay } from '../domain/backoff.js';
import { isBotError } from '../errors.js';
import { presentProps } from '../domain/defined.js';
import type { SendOutcome } from './port.js';

/**
 * A provider's failure, classified once by the adapter that saw it. `retryable`: trying again may work (a 429, a
 * 5xx, a connection refused, a timeout). `uncertain`: the request may have been done (its answer was lost).
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly how: { retryable: boolean; uncertain: boolean; retryAfterMs?: number },
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

export interface RetryPolicy {
  timeout: number;
  retries: number;
  backoff: Backoff;
}

export interface RetryOptions {
  /**
   * The API takes an idempotency key (PagerDuty's dedup_key, Opsgenie's alias): a lost answer is tried again.
   * Without one (SMS, email), a lost answer ends the send as "may have been sent".
   */
  idempotent: boolean;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Longest wait a Retry-After may ask for inside one send; a longer one ends the send (durable work goes on). */
const MAX_RETRY_AFTER_MS = 60_000;

/** Tries `attempt` (each try with its own timeout signal) up to `retries` more times, with the bot's backoff. */
export async function sendWithRetries(
  policy: RetryPolicy,
  options: RetryOptions,
  attempt: (signal: AbortSignal) => Promise<string | undefined>,
): Promise<SendOutcome> {
  const sleep = options.sleep ?? realSleep;
  for (let n = 0; ; n++) {
    try {
      const providerId = await attempt(AbortSignal.timeout(policy.timeout));
      return { ok: true, attempts: n + 1, ...presentProps({ providerId }) };
    } catch (error) {
      const failure = classified(error);
      const uncertain = failure.how.uncertain && !options.idempotent;
      const wait = failure.how.retryAfterMs ?? backoffDelay(policy.backoff, n);
      if (uncertain || !failure.how.retryable || n >= policy.retries || wait > MAX_RETRY_AFTER_MS)
        return { ok: false, attempts: n + 1, error: failure.message, uncertain };
      await sleep(wait);
    }
  }
}

function classified(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  // Ours, before any request (a credential of the example config not set): nothing went out.
  if (isBotError(error)) return new ProviderError(error.userMessage, { retryable: false, uncertain: false });
  return new ProviderError(String(error), unknownFailure);
}

/** A throw the adapter did not classify: it may have happened, and trying again is not known to be safe. */
const unknownFailure = { retryable: false, uncertain: true };

/** Retry-After in seconds (or an HTTP date), as milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
