import type { JsonExpectation } from '../config/checks.js';
import { compare, formatNumber, formatValue } from './compare.js';

export interface PathMatch {
  path: string;
  value: unknown;
  found: boolean;
}

/**
 * Every value a dotted path reaches. `*` stands for every key of an object or
 * every element of an array, so `services.*` yields one match per service; a
 * path that leads nowhere yields one match with `found: false`.
 */
export function selectPath(root: unknown, path: string): PathMatch[] {
  const segments = path.split('.');
  let matches: PathMatch[] = [{ path: '', value: root, found: true }];
  for (const segment of segments) {
    const next: PathMatch[] = [];
    for (const match of matches) {
      const here = match.path ? `${match.path}.${segment}` : segment;
      if (!match.found) {
        // A missing step is reported with the rest of the path, as the user wrote it.
        next.push({ ...match, path: here });
      } else if (segment === '*') {
        const entries = Array.isArray(match.value)
          ? match.value.map((v, i) => [String(i), v] as const)
          : isObject(match.value)
            ? Object.entries(match.value)
            : undefined;
        if (!entries) next.push({ path: here, value: undefined, found: false });
        for (const [key, value] of entries ?? [])
          next.push({ path: match.path ? `${match.path}.${key}` : key, value, found: true });
      } else {
        const child = childOf(match.value, segment);
        next.push({ path: here, value: child.value, found: child.found });
      }
    }
    matches = next;
  }
  return matches;
}

function childOf(value: unknown, key: string): { value: unknown; found: boolean } {
  if (Array.isArray(value) && /^\d+$/.test(key)) {
    const i = Number(key);
    return i < value.length ? { value: value[i], found: true } : { value: undefined, found: false };
  }
  if (isObject(value) && Object.hasOwn(value, key)) return { value: value[key], found: true };
  return { value: undefined, found: false };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ExpectationOutcome {
  ok: boolean;
  /** One line for the details: what was checked and how it went. */
  detail: string;
  /** Every value that missed, in plain words. */
  failures: string[];
}

/** Evaluates one expectation against every value its path reaches; all must satisfy it. */
export function evaluateJson(body: unknown, expectation: JsonExpectation): ExpectationOutcome {
  const want = describeWant(expectation);
  const matches = selectPath(body, expectation.path);
  if (matches.length === 0) {
    const failure = `${expectation.path} matched nothing, expected ${want}`;
    return { ok: false, detail: `✗ ${failure}`, failures: [failure] };
  }
  const failures: string[] = [];
  for (const match of matches) {
    const failure = judge(match, expectation, want);
    if (failure) failures.push(failure);
  }
  if (failures.length > 0) return { ok: false, detail: `✗ ${joinFailures(failures)}`, failures };
  const wildcard = expectation.path.split('.').includes('*');
  const only = matches[0]!;
  const detail = wildcard
    ? `✓ ${expectation.path} all ${want} (${matches.length})`
    : expectation.equals !== undefined
      ? `✓ ${only.path} is ${formatValue(only.value)}`
      : `✓ ${only.path} is ${formatValue(only.value)} (${want})`;
  return { ok: true, detail, failures: [] };
}

function describeWant(e: JsonExpectation): string {
  if (e.equals !== undefined) return formatValue(e.equals);
  return `${e.op} ${formatNumber(e.value ?? Number.NaN)}`;
}

function judge(match: PathMatch, e: JsonExpectation, want: string): string | undefined {
  const actual = match.found ? formatValue(match.value) : 'missing';
  if (e.equals !== undefined) {
    return match.found && match.value === e.equals ? undefined : `${match.path} is ${actual}, expected ${want}`;
  }
  if (typeof match.value !== 'number' || !match.found) return `${match.path} is ${actual}, expected a number ${want}`;
  return compare(match.value, e.op!, e.value!)
    ? undefined
    : `${match.path} is ${formatNumber(match.value)}, expected ${want}`;
}

/** At most three misses spelled out, so a failure stays one readable line. */
export function joinFailures(failures: readonly string[]): string {
  const shown = failures.slice(0, 3).join('; ');
  return failures.length > 3 ? `${shown}; and ${failures.length - 3} more` : shown;
}

/** Parses a body and evaluates every expectation; an empty list never looks at the body. */
export function checkJsonBody(
  text: string,
  expectations: readonly JsonExpectation[],
): { details: string[]; failures: string[] } {
  if (expectations.length === 0) return { details: [], failures: [] };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const failure = `the body is not JSON, expected ${expectations.map((e) => e.path).join(', ')}`;
    return { details: [`✗ ${failure}`], failures: [failure] };
  }
  const outcomes = expectations.map((e) => evaluateJson(body, e));
  return { details: outcomes.map((o) => o.detail), failures: outcomes.flatMap((o) => o.failures) };
}
