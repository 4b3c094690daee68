import { describe, expect, it } from 'vitest';
import { PrometheusParseError, parsePrometheusText, parseValue } from '../../src/checks/prometheus.js';

const EXPOSITION = `# HELP http_requests_total The total number of HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"}    3 1395066363000

# Escaping in label values:
msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9

# Minimalistic line:
metric_without_timestamp_and_labels 12.47
something_weird{problem="division by zero"} +Inf -3982045
trailing_comma{gc="Copy",} 104.0
spaced { a = "1" , b="2" } 5
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.05"} 24054
http_request_duration_seconds_bucket{le="+Inf"} 144320
http_request_duration_seconds_sum 53423
http_request_duration_seconds_count 144320
`;

describe('parsePrometheusText', () => {
  it('reads names, labels, values and types, and skips timestamps and comments', () => {
    const { samples, types } = parsePrometheusText(EXPOSITION);
    expect(samples).toHaveLength(11);
    expect(samples[0]).toEqual({ name: 'http_requests_total', labels: { method: 'post', code: '200' }, value: 1027 });
    expect(samples[1]!.value).toBe(3);
    expect(samples[2]!.labels).toEqual({ path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    expect(samples[2]!.value).toBe(1.458255915e9);
    expect(samples[3]).toEqual({ name: 'metric_without_timestamp_and_labels', labels: {}, value: 12.47 });
    expect(samples[4]!.value).toBe(Infinity);
    expect(samples[5]).toEqual({ name: 'trailing_comma', labels: { gc: 'Copy' }, value: 104 });
    expect(samples[6]).toEqual({ name: 'spaced', labels: { a: '1', b: '2' }, value: 5 });
    expect(types.get('http_requests_total')).toBe('counter');
    expect(types.get('http_request_duration_seconds')).toBe('histogram');
  });

  it('accepts CRLF line ends, OpenMetrics exemplars and # EOF', () => {
    const { samples } = parsePrometheusText(
      'a_total 1\r\nb_bucket{le="0.1"} 2 # {trace_id="abc"} 0.05 123\r\n# EOF\r\n',
    );
    expect(samples.map((s) => [s.name, s.value])).toEqual([
      ['a_total', 1],
      ['b_bucket', 2],
    ]);
  });

  it.each([
    ['a{b="1"', /expected , or } after label b/],
    ['a{b=1} 2', /expected a quoted value for label b/],
    ['a{b="x\\q"} 2', /invalid escape \\q/],
    ['a{b="1",b="2"} 2', /label b appears twice/],
    ['a', /expected a value/],
    ['a twelve', /"twelve" is not a number/],
    ['a 1 2 3', /at most a timestamp/],
    ['a 1 soon', /"soon" is not a timestamp/],
    ['9lives 1', /expected a metric name/],
    ['a-b 1', /unexpected "-"/],
    ['# TYPE a widget', /unknown metric type widget/],
    ['# TYPE a', /needs a metric name and a type/],
  ])('rejects %j with the line and the reason', (text, message) => {
    expect(() => parsePrometheusText(`ok 1\n${text}`)).toThrow(PrometheusParseError);
    expect(() => parsePrometheusText(`ok 1\n${text}`)).toThrow(new RegExp(`^line 2: .*${message.source}`));
  });

  it('parses values the way Prometheus does', () => {
    expect(parseValue('1e3')).toBe(1000);
    expect(parseValue('-0.5')).toBe(-0.5);
    expect(parseValue('.5')).toBe(0.5);
    expect(parseValue('-Inf')).toBe(-Infinity);
    expect(parseValue('+inf')).toBe(Infinity);
    expect(parseValue('NaN')).toBeNaN();
    expect(parseValue('0x10')).toBeUndefined();
    expect(parseValue('')).toBeUndefined();
  });
});
