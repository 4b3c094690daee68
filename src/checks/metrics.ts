import type { Threshold } from '../config/checks.js';
import { compare, formatNumber } from './compare.js';
import { joinFailures } from './expectations.js';
import { ConfigFault } from './faults.js';
import { request } from './http.js';
import { type Sample, parsePrometheusText } from './prometheus.js';
import { collectBuckets, histogramQuantile } from './quantile.js';
import { type Selector, SelectorError, parseSelector, sumSelected } from './selector.js';
import type { Runner } from './types.js';

type Measure = (samples: readonly Sample[]) => { value: number } | { reason: string };

/** Scrapes a Prometheus endpoint once and holds every threshold against the same scrape. */
export const runMetrics: Runner<'metrics'> = async (config, attempt) => {
  // Selectors are parsed before the scrape: a typo is a config fault, not worth a retry.
  const plans = config.thresholds.map((t) => ({ threshold: t, measure: planMeasure(t) }));
  const response = await request(attempt, {
    method: 'GET',
    url: config.url,
    headers: config.headers,
    accept: 'text/plain;version=0.0.4',
  });
  if (response.status < 200 || response.status > 299)
    return { failure: `expected status 200 from the metrics endpoint, got ${response.status}` };
  let samples: Sample[];
  try {
    samples = parsePrometheusText(response.text).samples;
  } catch (error) {
    return {
      failure: `the metrics are not in the Prometheus text format (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const failures: string[] = [];
  for (const { threshold: t, measure } of plans) {
    const want = `${t.op} ${formatNumber(t.value)}`;
    const measured = measure(samples);
    const failure =
      'reason' in measured
        ? `${t.name}: ${measured.reason}`
        : compare(measured.value, t.op, t.value)
          ? undefined
          : `${t.name} is ${formatNumber(measured.value)}, expected ${want}`;
    if (failure) failures.push(failure);
    attempt.details.push(
      failure ? `✗ ${failure}` : `✓ ${t.name}: ${'value' in measured ? formatNumber(measured.value) : ''} (${want})`,
    );
  }
  return failures.length === 0 ? {} : { failure: joinFailures(failures) };
};

function planMeasure(t: Threshold): Measure {
  try {
    if (t.series !== undefined) return seriesMeasure(parseSelector(t.series));
    if (t.ratio !== undefined) {
      const of = parseSelector(t.ratio.of);
      const to = (Array.isArray(t.ratio.to) ? t.ratio.to : [t.ratio.to]).map(parseSelector);
      return ratioMeasure(of, to);
    }
    if (t.quantile !== undefined) return quantileMeasure(parseSelector(t.quantile.histogram), t.quantile.q);
  } catch (error) {
    if (error instanceof SelectorError) throw new ConfigFault(`${t.name}: ${error.message}`);
    throw error;
  }
  throw new ConfigFault(`${t.name}: measures nothing`);
}

/** A gauge or counter that is not exported at all is a failure: there is nothing to compare. */
function seriesMeasure(selector: Selector): Measure {
  return (samples) => {
    const { sum, count } = sumSelected(samples, selector);
    return count === 0 ? { reason: `no series matches ${selector.text}` } : { value: sum };
  };
}

/**
 * `of` may match nothing (a 5xx counter appears only after the first 5xx), so
 * it counts as 0; `to` must exist and be non-zero for the ratio to mean anything.
 */
function ratioMeasure(of: Selector, to: Selector[]): Measure {
  return (samples) => {
    let total = 0;
    let found = 0;
    for (const selector of to) {
      const part = sumSelected(samples, selector);
      total += part.sum;
      found += part.count;
    }
    const names = to.map((s) => s.text).join(' + ');
    if (found === 0) return { reason: `no series matches ${names}` };
    if (total === 0) return { reason: `no data yet (${names} is 0)` };
    return { value: sumSelected(samples, of).sum / total };
  };
}

/** `histogram` names the histogram (`_bucket` is added) and may carry label matchers. */
function quantileMeasure(selector: Selector, q: number): Measure {
  const buckets: Selector = {
    ...selector,
    ...(selector.name !== undefined && !selector.name.endsWith('_bucket') && { name: `${selector.name}_bucket` }),
  };
  return (samples) => {
    const found = collectBuckets(samples, buckets);
    if (found.length === 0) return { reason: `no buckets match ${buckets.name ?? selector.text}` };
    const estimate = histogramQuantile(q, found);
    return 'reason' in estimate ? { reason: `${estimate.reason} in ${buckets.name ?? selector.text}` } : estimate;
  };
}
