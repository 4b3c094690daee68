import { setTimeout as wait } from 'node:timers/promises';
import type { Backoff } from '../config/fields.js';

/**
 * The wait before retry `n` (0 for the first retry): `initial * factor^n`,
 * capped at `max`. With jitter the wait is "equal jitter": half fixed, half
 * random. Unlike full jitter it never drops near zero, so a struggling target
 * still gets a breather, while replicas retrying together spread out.
 */
export function backoffDelay(backoff: Backoff, n: number, random: () => number = Math.random): number {
  const base = Math.min(backoff.max, backoff.initial * backoff.factor ** n);
  if (!backoff.jitter) return base;
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(base / 2 + r * (base / 2));
}

/** A wait that ends early (without throwing) when the caller cancels. */
export function abortableSleep(signal?: AbortSignal): (ms: number) => Promise<void> {
  return (ms) => wait(ms, undefined, { signal }).catch(() => undefined);
}
