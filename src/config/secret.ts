import { inspect } from 'node:util';
import { BotError } from '../errors.js';

/**
 * A credential read from the environment. It prints as `[redacted]` however it
 * is logged or serialised; only `reveal()` gives the value, at the point of use.
 */
export class Secret {
  readonly #value: string;

  /** `missing` names the unset variables when the example config was loaded leniently. */
  constructor(
    value: string,
    readonly missing: readonly string[] = [],
  ) {
    this.#value = value;
  }

  reveal(): string {
    if (this.missing.length > 0) throw new MissingSecretError(this.missing);
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}

/** Thrown at the point of use when a credential of the example config was never set. */
export class MissingSecretError extends BotError {
  constructor(readonly variables: readonly string[]) {
    super('unavailable', `not configured: set ${variables.join(', ')} in the environment`);
  }
}

/** `${NAME}` or `${NAME:-default}`, as in a shell. */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export type Env = Readonly<Record<string, string | undefined>>;

/** Replaces every `${NAME}` in a string; names that are unset are returned, not guessed. */
export function interpolate(text: string, env: Env): { value: string; missing: string[] } {
  const missing: string[] = [];
  const value = text.replace(REFERENCE, (_, name: string, fallback: string | undefined) => {
    const found = env[name];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    missing.push(name);
    return '';
  });
  return { value, missing };
}

export function hasReference(text: string): boolean {
  return new RegExp(REFERENCE.source).test(text);
}

/** True when the whole string is exactly one `${NAME}` reference. */
export function isPureReference(text: string): boolean {
  return /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(text.trim());
}
