import type { Sample } from './prometheus.js';
import { matches, type Selector } from './selector.js';

export interface Bucket {
  /** The bucket's upper bound, `le`; Infinity for `+Inf`. */
  le: number;
  /** Cumulative count of observations at or below `le`. */
  count: number;
}

/** The `_bucket` samples a selector picks, summed per `le` across every other label. */
export function collectBuckets(samples: readonly Sample[], selector: Selector): Bucket[] {
  const byLe = new Map<number, number>();
  for (const sample of samples) {
    const le = sample.labels.le;
    if (le === undefined || !matches(selector, sample)) continue;
    const bound = le === '+Inf' || le === 'Inf' ? Infinity : Number(le);
    if (Number.isNaN(bound)) continue;
    byLe.set(bound, (byLe.get(bound) ?? 0) + sample.value);
  }
  return [...byLe].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

export type QuantileEstimate = { value: number } | { reason: string };

/**
 * Estimates the q-quantile as PromQL's `histogram_quantile` does: find the
 * bucket holding rank q·total and interpolate linearly inside it. A rank in
 * the +Inf bucket gives the highest finite bound (nothing better is known).
 */
export function histogramQuantile(q: number, sorted: readonly Bucket[]): QuantileEstimate {
  if (sorted.length === 0) return { reason: 'no buckets' };
  if (sorted[sorted.length - 1]!.le !== Infinity) return { reason: 'no +Inf bucket' };
  if (sorted.length < 2) return { reason: 'only the +Inf bucket' };
  // Counters scraped mid-update can dip; cumulative counts never really fall.
  const buckets: Bucket[] = [];
  for (const b of sorted) buckets.push({ le: b.le, count: Math.max(b.count, buckets.at(-1)?.count ?? 0) });
  const total = buckets[buckets.length - 1]!.count;
  if (total <= 0) return { reason: 'no observations' };
  let rank = q * total;
  const i = buckets.findIndex((b) => b.count >= rank);
  if (i === buckets.length - 1) return { value: buckets[i - 1]!.le };
  const bucket = buckets[i]!;
  if (i === 0 && bucket.le <= 0) return { value: bucket.le };
  let start = 0;
  let count = bucket.count;
  if (i > 0) {
    const previous = buckets[i - 1]!;
    start = previous.le;
    count -= previous.count;
    rank -= previous.count;
  }
  return { value: start + (bucket.le - start) * (rank / count) };
}
