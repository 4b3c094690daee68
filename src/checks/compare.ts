export type Op = '==' | '!=' | '>' | '>=' | '<' | '<=';

export function compare(actual: number, op: Op, expected: number): boolean {
  switch (op) {
    case '==':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
  }
}

/** Numbers as people read them: 0.5500000001 → 0.55, 1234567 → 1234567. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

/** A JSON value as it would appear in the body: strings quoted, long values cut. */
export function formatValue(value: unknown): string {
  // JSON.stringify answers undefined for a function or symbol, whatever its type says.
  const json = JSON.stringify(value) as string | undefined;
  const text = value === undefined ? 'missing' : (json ?? typeof value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** Latencies as people read them: `350 ms`, `1.2 s`. */
export function formatMs(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`;
}
