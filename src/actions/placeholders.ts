import { ACTION_PLACEHOLDERS, type ActionConfig, INPUT_PLACEHOLDER } from '../config/actions.js';
import { ActionInputError } from './errors.js';
import type { PlaceholderName, Placeholders } from './types.js';

/**
 * `{incident.key}`: a name in braces. The name must start with a letter or
 * `_`, so JSON such as `{"service": …}` is never taken for a placeholder.
 */
export const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g;

/** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

export function isPlaceholderName(name: string): name is PlaceholderName {
  return (ACTION_PLACEHOLDERS as readonly string[]).includes(name) || INPUT_PLACEHOLDER.test(name);
}

/** The config strings placeholders may appear in: argv elements, or the URL and body. */
export function templatesOf(config: ActionConfig): string[] {
  return config.kind === 'command' ? config.argv : [config.url, ...(config.body === undefined ? [] : [config.body])];
}

/** Every placeholder name the action uses, once each, in order of appearance. */
export function placeholderNames(config: ActionConfig): string[] {
  const names = templatesOf(config).flatMap((text) => [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!));
  return [...new Set(names)];
}

/** Names in braces that are neither in ACTION_PLACEHOLDERS nor an input the action declares: a config error. */
export function unknownPlaceholders(config: ActionConfig): string[] {
  return placeholderNames(config).filter((name) => {
    const input = INPUT_PLACEHOLDER.exec(name)?.[1];
    return input === undefined ? !isPlaceholderName(name) : !Object.hasOwn(config.inputs, input);
  });
}

/** Config problems of an action's inputs: they go into a command's argv only (never a URL, a body or a shell). */
export function inputProblems(config: ActionConfig): string[] {
  const used = placeholderNames(config).filter((n) => INPUT_PLACEHOLDER.test(n));
  if (config.kind === 'http' && used.length > 0)
    return [
      `The action puts ${used.map((n) => `{${n}}`).join(', ')} in a URL or body; inputs go in a command's argv only.`,
    ];
  return Object.keys(config.inputs)
    .filter((name) => !used.includes(`input.${name}`))
    .map((name) => `The input "${name}" is asked for but never used: put {input.${name}} in the argv, or remove it.`);
}

export function unknownPlaceholderProblem(names: readonly string[]): string {
  const list = names.map((n) => `{${n}}`).join(', ');
  const are = names.length === 1 ? 'is not a placeholder' : 'are not placeholders';
  const known = ACTION_PLACEHOLDERS.map((n) => `{${n}}`).join(', ');
  return `The action uses ${list}, which ${are}; use one of ${known}, or {input.<name>} of an input it declares.`;
}

/** The value of one placeholder, refused when missing or when it holds a control character or a line break. */
export function valueOf(name: string, placeholders: Placeholders): string | undefined {
  if (!isPlaceholderName(name)) throw new ActionInputError(unknownPlaceholderProblem([name]), 'config_invalid');
  const value = placeholders[name];
  if (value === undefined || value === '') return undefined;
  if (CONTROL.test(value))
    throw new ActionInputError(
      `The value of {${name}} contains a line break or a control character, which an action never gets.`,
    );
  return value;
}

export interface Substitution {
  text: string;
  /** The placeholders found, in order. */
  names: string[];
}

/**
 * Fills the placeholders of one template. Each value goes through `encode`
 * and lands inside the same string: it can never split it in two. A
 * placeholder without a value is refused, or kept as `{name}` with `allowMissing`.
 */
export function substitute(
  template: string,
  placeholders: Placeholders,
  encode: (value: string, name: string) => string,
  allowMissing = false,
): Substitution {
  const names: string[] = [];
  const text = template.replace(PLACEHOLDER, (whole, name: string) => {
    names.push(name);
    const value = valueOf(name, placeholders);
    if (value !== undefined) return encode(value, name);
    if (allowMissing) return whole;
    throw new ActionInputError(`The action needs {${name}}, and this run has no value for it.`);
  });
  return { text, names };
}
