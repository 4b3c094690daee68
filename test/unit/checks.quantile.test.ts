import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../../src/checks/prometheus.js';
import { collectBuckets, histogramQuantile } from '../../src/checks/quantile.js';
import { parseSelector } from '../../src/checks/selector.js';

const buckets = (pairs: Array<[number, number]>) => pairs.map(([le, count]) => ({ le, count }));

describe('histogramQuantile', () => {
  it('interpolates linearly inside the bucket that holds the rank', () => {
    // 100 observations: 50 ≤ 0.1, 90 ≤ 0.2, 100 ≤ 0.5. p95 is rank 95: halfway through (0.2, 0.5].
    const b = buckets([
      [0.1, 50],
      [0.2, 90],
      [0.5, 100],
      [Infinity, 100],
    ]);
    expect(histogramQuantile(0.95, b)).toEqual({ value: expect.closeTo(0.35, 10) });
    expect(histogramQuantile(0.5, b)).toEqual({ value: expect.closeTo(0.1, 10) });
    expect(histogramQuantile(0.7, b)).toEqual({ value: expect.closeTo(0.15, 10) });
  });

  it('starts the first bucket at zero', () => {
    expect(
      histogramQuantile(
        0.25,
        buckets([
          [1, 100],
          [Infinity, 100],
        ]),
      ),
    ).toEqual({ value: 0.25 });
  });

  it('answers the highest finite bound when the rank falls in +Inf', () => {
    expect(
      histogramQuantile(
        0.99,
        buckets([
          [0.1, 10],
          [0.2, 20],
          [Infinity, 100],
        ]),
      ),
    ).toEqual({ value: 0.2 });
  });

  it('answers the bound of a first bucket at or below zero', () => {
    expect(
      histogramQuantile(
        0.5,
        buckets([
          [-1, 10],
          [0, 10],
          [Infinity, 10],
        ]),
      ),
    ).toEqual({ value: -1 });
  });

  it('evens out counts that dip, as a mid-update scrape can show', () => {
    expect(
      histogramQuantile(
        0.5,
        buckets([
          [0.1, 50],
          [0.2, 40],
          [0.4, 100],
          [Infinity, 100],
        ]),
      ),
    ).toEqual({ value: expect.closeTo(0.1, 10) });
  });

  it('says why no estimate exists', () => {
    expect(histogramQuantile(0.9, [])).toEqual({ reason: 'no buckets' });
    expect(
      histogramQuantile(
        0.9,
        buckets([
          [0.1, 5],
          [1, 9],
        ]),
      ),
    ).toEqual({ reason: 'no +Inf bucket' });
    expect(histogramQuantile(0.9, buckets([[Infinity, 9]]))).toEqual({ reason: 'only the +Inf bucket' });
    expect(
      histogramQuantile(
        0.9,
        buckets([
          [0.1, 0],
          [Infinity, 0],
        ]),
      ),
    ).toEqual({ reason: 'no observations' });
  });
});

describe('collectBuckets', () => {
  const { samples } = parsePrometheusText(`
latency_seconds_bucket{route="/a",le="0.1"} 10
latency_seconds_bucket{route="/a",le="0.5"} 20
latency_seconds_bucket{route="/a",le="+Inf"} 20
latency_seconds_bucket{route="/b",le="0.1"} 0
latency_seconds_bucket{route="/b",le="0.5"} 70
latency_seconds_bucket{route="/b",le="+Inf"} 80
latency_seconds_count{route="/b"} 80
`);

  it('sums each le across the other labels and sorts by bound', () => {
    expect(collectBuckets(samples, parseSelector('latency_seconds_bucket'))).toEqual(
      buckets([
        [0.1, 10],
        [0.5, 90],
        [Infinity, 100],
      ]),
    );
  });

  it('keeps only the series the selector picks', () => {
    expect(collectBuckets(samples, parseSelector('latency_seconds_bucket{route="/a"}'))).toEqual(
      buckets([
        [0.1, 10],
        [0.5, 20],
        [Infinity, 20],
      ]),
    );
  });

  it('estimates p95 across routes', () => {
    const estimate = histogramQuantile(0.95, collectBuckets(samples, parseSelector('latency_seconds_bucket')));
    // Rank 95 lies in the +Inf bucket (90 < 95 ≤ 100): the highest finite bound.
    expect(estimate).toEqual({ value: 0.5 });
  });
});
