import type { Backoff } from '../config/fields.js';

/**
 * The one backoff of the bot (checks and token refreshes): the wait before
 * retry `n`, counted from 0 for the first retry, is `initial * factor^n`,
 * capped at `max`. With jitter the wait is "equal jitter": half fixed, half
 * random. Unlike full jitter it never drops near zero, so a struggling target
 * still gets a breather, while replicas retrying together spread out.
 */
export function backoffDelay(backoff: Backoff, n: number, random: () => number = Math.random): number {
  const base = Math.min(backoff.max, backoff.initial * backoff.factor ** Math.max(0, n));
  if (!backoff.jitter) return Math.round(base);
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(base / 2 + r * (base / 2));
}
