import { pino, type Logger, type DestinationStream } from 'pino';
import pretty from 'pino-pretty';
import { REDACTED, scrubText } from './domain/secrets.js';
import { thrownField } from './errors.js';

export type { Logger };

/** Words that make a key a credential when they end it (`db_password`, `x-api-key`). */
const SECRET_WORDS = [
  'token',
  'secret',
  'password',
  'passwd',
  'pwd',
  'authorization',
  'cookie',
  'api[_-]?key',
  'private[_-]?key',
  'client[_-]?secret',
  'signing[_-]?secret',
  'access[_-]?token',
  'refresh[_-]?token',
];

/** Keys whose values are credentials wherever they appear in a log object: ending in a secret word, or starting with one. */
const SECRET_KEY = new RegExp(`(^|_|-)(${SECRET_WORDS.join('|')})$|^(token|secret|password|authorization)`, 'i');

/** Paths pino redacts itself; the deep scrub below catches what these miss. */
const REDACT_PATHS = [
  'token',
  '*.token',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'client_secret',
  '*.client_secret',
  'signingSecret',
  '*.signingSecret',
  'access_token',
  '*.access_token',
];

/** A string as it may be logged: the one scrubber (domain/secrets.ts), the same as for Slack and the timeline. */
export function scrubString(value: string): string {
  return scrubText(value);
}

/** Copies a log object with every secret-looking key and value replaced. */
export function scrub(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  if (value instanceof Error) {
    return {
      type: value.name,
      message: scrubString(value.message),
      stack: value.stack && scrubString(value.stack),
      code: thrownField(value, 'code'),
      cause: value.cause === undefined ? undefined : scrub(value.cause, depth + 1),
    };
  }
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] =
      SECRET_KEY.test(key) && inner !== undefined && inner !== null && typeof inner !== 'boolean'
        ? REDACTED
        : scrub(inner, depth + 1);
  }
  return out;
}

export interface LogOptions {
  level?: string;
  format?: 'json' | 'pretty';
  destination?: DestinationStream;
}

/**
 * JSON lines by default; one line per event when a person is watching a
 * terminal, colourised unless NO_COLOR is set. Secrets are removed before anything is formatted.
 */
export function createLogger(options: LogOptions = {}): Logger {
  const format = options.format ?? (process.stdout.isTTY ? 'pretty' : 'json');
  const destination =
    options.destination ??
    (format === 'pretty'
      ? pretty({ colorize: !process.env.NO_COLOR, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' })
      : pino.destination(1));
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'incident-bot' },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      formatters: { log: (object) => scrub(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          // The message string itself can carry a token (an error text, a URL).
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubString(arg) : arg));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      serializers: { err: (error: unknown) => scrub(error) },
    },
    destination,
  );
}

/** A logger that writes nothing: the default for tests that do not look at logs. */
export const silentLogger: Logger = pino({ level: 'silent' });
