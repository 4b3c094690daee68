/**
 * A strict parser for the Prometheus text exposition format (0.0.4): the
 * samples with their labels and values, and each family's TYPE. HELP and other
 * comments are skipped; OpenMetrics exemplars and `# EOF` are tolerated. A
 * malformed line is an error naming the line, never a silently wrong number.
 */

export interface Sample {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  /** Family name → counter, gauge, histogram, summary, untyped… */
  types: Map<string, string>;
}

export class PrometheusParseError extends Error {
  override readonly name = 'PrometheusParseError';
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const METRIC_NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const TYPES = new Set([
  'counter',
  'gauge',
  'histogram',
  'summary',
  'untyped',
  'unknown',
  'info',
  'stateset',
  'gaugehistogram',
]);

export function parsePrometheusText(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  text.split('\n').forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    if (trimmed === '') return;
    if (trimmed.startsWith('#')) {
      const type = /^#\s+TYPE\s+(\S+)\s+(\S+)\s*$/.exec(trimmed);
      if (type) {
        if (!TYPES.has(type[2]!)) throw new PrometheusParseError(index + 1, `unknown metric type ${type[2]}`);
        types.set(type[1]!, type[2]!);
      } else if (/^#\s+TYPE\b/.test(trimmed)) {
        throw new PrometheusParseError(index + 1, 'a TYPE line needs a metric name and a type');
      }
      return;
    }
    samples.push(parseSample(trimmed, index + 1));
  });
  return { samples, types };
}

function parseSample(line: string, lineNo: number): Sample {
  const fail = (reason: string): never => {
    throw new PrometheusParseError(lineNo, reason);
  };
  METRIC_NAME.lastIndex = 0;
  const name = METRIC_NAME.exec(line)?.[0] ?? fail('expected a metric name');
  let at = name.length;
  const labels: Record<string, string> = {};
  // Blanks may stand between the name and its labels, as Prometheus's own parser allows.
  const brace = /^[ \t]*\{/.exec(line.slice(at));
  if (brace) at = parseLabels(line, at + brace[0].length, labels, fail);
  const rest = line.slice(at);
  if (!/^[ \t]/.test(rest))
    fail(rest === '' ? 'expected a value' : `unexpected ${JSON.stringify(rest[0])} after the metric name`);
  // An OpenMetrics exemplar follows ` # `; it says nothing about the value.
  const fields = rest
    .split(/\s+#\s/)[0]!
    .trim()
    .split(/[ \t]+/);
  if (fields.length > 2) fail('expected a value and at most a timestamp');
  const value = parseValue(fields[0]!) ?? fail(`${JSON.stringify(fields[0])} is not a number`);
  if (fields[1] !== undefined && !/^-?\d+(\.\d+)?$/.test(fields[1]))
    fail(`${JSON.stringify(fields[1])} is not a timestamp`);
  return { name, labels, value };
}

/** Reads `name="value",…}` from `at`; returns the index after the closing brace. */
function parseLabels(
  line: string,
  at: number,
  labels: Record<string, string>,
  fail: (reason: string) => never,
): number {
  const skipSpace = () => {
    while (line[at] === ' ' || line[at] === '\t') at++;
  };
  for (;;) {
    skipSpace();
    if (line[at] === '}') return at + 1;
    LABEL_NAME.lastIndex = at;
    const label = LABEL_NAME.exec(line)?.[0] ?? fail(`expected a label name at column ${at + 1}`);
    at += label.length;
    skipSpace();
    if (line[at] !== '=') fail(`expected = after label ${label}`);
    at++;
    skipSpace();
    if (line[at] !== '"') fail(`expected a quoted value for label ${label}`);
    at++;
    let value = '';
    for (;;) {
      const c = line[at];
      if (c === undefined) fail(`unterminated value for label ${label}`);
      at++;
      if (c === '"') break;
      if (c === '\\') {
        const escaped = line[at++];
        if (escaped === 'n') value += '\n';
        else if (escaped === '\\' || escaped === '"') value += escaped;
        else fail(`invalid escape \\${escaped ?? ''} in label ${label}`);
      } else {
        value += c;
      }
    }
    if (Object.hasOwn(labels, label)) fail(`label ${label} appears twice`);
    labels[label] = value;
    skipSpace();
    if (line[at] === ',') at++;
    else if (line[at] !== '}') fail(`expected , or } after label ${label}`);
  }
}

/** Go's ParseFloat as Prometheus uses it: decimals, exponents, Inf and NaN in any case. */
export function parseValue(text: string): number | undefined {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  if (/^[+-]?inf(inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return Number.NaN;
  return undefined;
}
