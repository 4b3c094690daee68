import { MissingSecretError } from '../config/secret.js';
import { scrubText } from '../domain/secrets.js';

/** A fault another attempt cannot fix: the result says so and no retry is made. */
export class ConfigFault extends Error {
  override readonly name = 'ConfigFault';
}

interface NetworkError {
  code?: string;
  address?: string;
  port?: number;
  hostname?: string;
  message?: string;
  cause?: unknown;
}

/** Turns whatever a client threw into a short sentence an on-call engineer can act on. */
export function describeError(error: unknown): { failure: string; retryable: boolean } {
  if (error instanceof MissingSecretError) return { failure: error.userMessage, retryable: false };
  if (error instanceof ConfigFault) return { failure: error.message, retryable: false };
  const e = rootCause(error);
  const where = e.address !== undefined ? ` on ${e.address}${e.port !== undefined ? `:${e.port}` : ''}` : '';
  switch (e.code) {
    case 'ECONNREFUSED':
      return { failure: `connection refused${where}`, retryable: true };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { failure: e.hostname ? `host ${e.hostname} not found` : 'host not found', retryable: true };
    case 'ECONNRESET':
    case 'EPIPE':
      return { failure: `connection reset${where}`, retryable: true };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { failure: `host unreachable${where}`, retryable: true };
    case 'ETIMEDOUT':
      return { failure: `connection timed out${where}`, retryable: true };
    case 'UND_ERR_SOCKET':
      return { failure: 'the connection closed before an answer', retryable: true };
    default:
      break;
  }
  return { failure: firstLine(e.message ?? String(error)), retryable: true };
}

/** fetch wraps the socket error in `cause`; the useful part is the innermost one with a code. */
function rootCause(error: unknown): NetworkError {
  let current = error as NetworkError | undefined;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current.code) return current;
    const aggregate = (current as { errors?: unknown[] }).errors;
    if (Array.isArray(aggregate) && aggregate.length > 0) current = aggregate[0] as NetworkError;
    else current = current.cause as NetworkError | undefined;
  }
  return error ?? {};
}

function firstLine(text: string): string {
  const line = text.split('\n')[0]?.trim() || 'unknown error';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** A URL fit to show: no password, no credential-like query values; text that is not a URL is not shown at all. */
export function safeUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '';
    for (const name of [...url.searchParams.keys()])
      if (/pass|secret|token|key|auth/i.test(name)) url.searchParams.set(name, 'redacted');
    return url.toString();
  } catch {
    return '(an invalid URL)';
  }
}

/**
 * What to hide of a revealed credential. A connection URL is mostly not
 * secret (the host helps the reader): only its password and credential-like
 * query parameters are; any other value is hidden whole.
 */
export function secretParts(value: string): string[] {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return [value];
  try {
    const url = new URL(value);
    const parts = url.password ? [url.password, decodeURIComponent(url.password)] : [];
    for (const [name, param] of url.searchParams)
      if (/pass|secret|token|key|auth/i.test(name) && param) parts.push(param);
    return parts;
  } catch {
    return [value];
  }
}

/** Removes every revealed credential and anything that looks like one from a line of a result. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a whole URL goes before the password inside it.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 3) out = out.split(secret).join('[redacted]');
  }
  return scrubText(out);
}
