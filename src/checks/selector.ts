import type { Sample } from './prometheus.js';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  label: string;
  op: MatchOp;
  value: string;
  /** For =~ and !~: anchored at both ends, as in PromQL. */
  regex?: RegExp;
}

export interface Selector {
  text: string;
  name?: string;
  matchers: Matcher[];
}

export class SelectorError extends Error {
  override readonly name = 'SelectorError';
}

const NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL = /[a-zA-Z_][a-zA-Z0-9_]*/y;

/**
 * Parses a PromQL instant-vector selector without functions or ranges:
 * `name`, `name{a="x", b=~"5..", c!="y", d!~"z"}` or `{__name__="name"}`.
 */
export function parseSelector(text: string): Selector {
  const src = text.trim();
  const fail = (reason: string): never => {
    throw new SelectorError(`bad selector \`${text}\`: ${reason}`);
  };
  let at = 0;
  const space = () => {
    while (/\s/.test(src[at] ?? '')) at++;
  };
  const token = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = at;
    const found = pattern.exec(src)?.[0];
    if (found) at += found.length;
    return found;
  };
  const name = token(NAME);
  space();
  const matchers: Matcher[] = [];
  if (src[at] === '{') {
    at++;
    for (;;) {
      space();
      if (src[at] === '}') break;
      const label = token(LABEL) ?? fail(`expected a label name at column ${at + 1}`);
      space();
      const op =
        (['=~', '!~', '!=', '='] as const).find((o) => src.startsWith(o, at)) ??
        fail(`expected =, !=, =~ or !~ after ${label}`);
      at += op.length;
      space();
      const value = readString() ?? fail(`expected a quoted value for ${label}`);
      matchers.push(matcher(label, op, value, fail));
      space();
      if (src[at] === ',') at++;
      else if (src[at] !== '}') fail(`expected , or } after ${label}`);
    }
    at++;
  }
  space();
  if (at < src.length) fail(`unexpected ${JSON.stringify(src.slice(at, at + 10))}`);
  if (!name && matchers.length === 0) fail('give a metric name or at least one label matcher');
  if (!name && matchers.every((m) => matchesEmpty(m))) fail('at least one matcher must not match the empty string');
  return { text: src, ...(name !== undefined && { name }), matchers };

  /** Strings as PromQL writes them: "double" or 'single' with escapes, or `raw`. */
  function readString(): string | undefined {
    const quote = src[at];
    if (quote !== '"' && quote !== "'" && quote !== '`') return undefined;
    at++;
    let value = '';
    for (;;) {
      const c = src[at++];
      if (c === undefined) return fail('unterminated string');
      if (c === quote) return value;
      if (c === '\\' && quote !== '`') {
        const e = src[at++];
        value +=
          e === 'n'
            ? '\n'
            : e === 't'
              ? '\t'
              : e === '\\' || e === '"' || e === "'"
                ? e
                : fail(`invalid escape \\${e ?? ''}`);
      } else {
        value += c;
      }
    }
  }
}

function matcher(label: string, op: MatchOp, value: string, fail: (reason: string) => never): Matcher {
  if (op === '=' || op === '!=') return { label, op, value };
  try {
    return { label, op, value, regex: new RegExp(`^(?:${value})$`) };
  } catch {
    return fail(`${JSON.stringify(value)} is not a valid regular expression`);
  }
}

function matchesEmpty(m: Matcher): boolean {
  return test(m, '');
}

function test(m: Matcher, actual: string): boolean {
  switch (m.op) {
    case '=':
      return actual === m.value;
    case '!=':
      return actual !== m.value;
    case '=~':
      return m.regex!.test(actual);
    case '!~':
      return !m.regex!.test(actual);
  }
}

/** A label that is absent matches as the empty string, as in Prometheus. */
export function matches(selector: Selector, sample: Sample): boolean {
  if (selector.name !== undefined && sample.name !== selector.name) return false;
  return selector.matchers.every((m) => test(m, m.label === '__name__' ? sample.name : (sample.labels[m.label] ?? '')));
}

/** The sum of every matching sample, and how many matched (0 means the series does not exist). */
export function sumSelected(samples: readonly Sample[], selector: Selector): { sum: number; count: number } {
  let sum = 0;
  let count = 0;
  for (const sample of samples) {
    if (!matches(selector, sample)) continue;
    sum += sample.value;
    count++;
  }
  return { sum, count };
}
