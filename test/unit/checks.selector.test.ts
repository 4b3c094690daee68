import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/checks/prometheus.js';
import { SelectorError, matches, parseSelector, sumSelected } from '../../src/checks/selector.js';

const sample = (name: string, labels: Record<string, string>, value = 1): Sample => ({ name, labels, value });

describe('parseSelector', () => {
  it('reads a bare metric name', () => {
    expect(parseSelector(' cache_hits_total ')).toEqual({
      text: 'cache_hits_total',
      name: 'cache_hits_total',
      matchers: [],
    });
  });

  it('reads all four matchers, quotes of every kind and a trailing comma', () => {
    const selector = parseSelector(
      `http_requests_total{status=~"5..", method!="GET", path!~'/health.*', job = \`api\`,}`,
    );
    expect(selector.name).toBe('http_requests_total');
    expect(selector.matchers.map(({ label, op, value }) => [label, op, value])).toEqual([
      ['status', '=~', '5..'],
      ['method', '!=', 'GET'],
      ['path', '!~', '/health.*'],
      ['job', '=', 'api'],
    ]);
  });

  it('reads escapes in quoted values', () => {
    expect(parseSelector('a{b="say \\"hi\\"\\n"}').matchers[0]!.value).toBe('say "hi"\n');
  });

  it('accepts a selector by __name__ alone', () => {
    const selector = parseSelector('{__name__=~"cache_.*_total"}');
    expect(selector.name).toBeUndefined();
    expect(matches(selector, sample('cache_hits_total', {}))).toBe(true);
    expect(matches(selector, sample('http_requests_total', {}))).toBe(false);
  });

  it.each([
    ['', /metric name or at least one label matcher/],
    ['{}', /metric name or at least one label matcher/],
    ['{a=""}', /must not match the empty string/],
    ['a{b}', /expected =, !=, =~ or !~ after b/],
    ['a{b=c}', /expected a quoted value for b/],
    ['a{b="c"', /expected , or } after b/],
    ['a{b="c}', /unterminated string/],
    ['a{b=~"("}', /not a valid regular expression/],
    ['a b', /unexpected "b"/],
    ['rate(a[5m])', /unexpected/],
    ['a{b="\\q"}', /invalid escape/],
  ])('rejects %j', (text, message) => {
    expect(() => parseSelector(text)).toThrow(SelectorError);
    expect(() => parseSelector(text)).toThrow(message);
  });
});

describe('matching and summing', () => {
  const samples = [
    sample('http_requests_total', { status: '200', method: 'GET' }, 900),
    sample('http_requests_total', { status: '503', method: 'GET' }, 7),
    sample('http_requests_total', { status: '500', method: 'POST' }, 3),
    sample('http_requests_total', { status: '404' }, 90),
    sample('http_requests_other', { status: '500' }, 1000),
  ];

  it('anchors regular expressions at both ends, as PromQL does', () => {
    expect(sumSelected(samples, parseSelector('http_requests_total{status=~"5.."}'))).toEqual({ sum: 10, count: 2 });
    expect(sumSelected(samples, parseSelector('http_requests_total{status=~"5"}'))).toEqual({ sum: 0, count: 0 });
    expect(sumSelected(samples, parseSelector('http_requests_total{status!~"5.."}')).sum).toBe(990);
  });

  it('treats an absent label as the empty string', () => {
    expect(sumSelected(samples, parseSelector('http_requests_total{method=""}')).sum).toBe(90);
    expect(sumSelected(samples, parseSelector('http_requests_total{method!="GET"}')).sum).toBe(93);
  });

  it('combines matchers with and', () => {
    expect(sumSelected(samples, parseSelector('http_requests_total{status=~"5..",method="GET"}')).sum).toBe(7);
  });

  it('sums every series of a bare name and counts what matched', () => {
    expect(sumSelected(samples, parseSelector('http_requests_total'))).toEqual({ sum: 1000, count: 4 });
    expect(sumSelected(samples, parseSelector('nothing_here'))).toEqual({ sum: 0, count: 0 });
  });
});
