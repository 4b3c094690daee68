import { BotError, thrownField } from '../errors.js';

/** `getToken`, `refresh` or `/incident token refresh <name>` named a provider the config does not have. */
export class UnknownProviderError extends BotError {
  constructor(
    readonly provider: string,
    readonly known: readonly string[],
  ) {
    const name = provider.slice(0, 64);
    super(
      'not_found',
      known.length > 0
        ? `there is no token provider "${name}"; the configured ones are: ${known.join(', ')}`
        : `there is no token provider "${name}": none is configured under tokens:`,
    );
    this.name = 'UnknownProviderError';
  }
}

/** `getToken` could not produce a usable token. The message is a sentence without secrets. */
export class TokenUnavailableError extends BotError {
  constructor(
    readonly provider: string,
    readonly reason: string,
  ) {
    super('unavailable', `no ${provider} token: ${reason}`);
    this.name = 'TokenUnavailableError';
  }
}

/** A sink could not take the token; the message names the sink and never holds the token. */
export class SinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SinkError';
  }
}

/** A short, safe description of a low-level error: its code (ECONNREFUSED, EACCES) or its name. */
export function errorCode(error: unknown): string {
  const candidates: unknown[] = [];
  if (error && typeof error === 'object') {
    candidates.push(
      thrownField(thrownField(error, 'cause'), 'code'),
      thrownField(error, 'code'),
      thrownField(error, 'name'),
    );
  }
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && candidate !== 'Error' && /^[A-Za-z][A-Za-z0-9_]{1,40}$/.test(candidate))
      return candidate;
  }
  return 'unknown error';
}
