import type { RunKind } from './domain/incident.js';

/**
 * Errors with codes, answered in one place. A person reads `userMessage`; the
 * log reads `cause`. Anything thrown that is not one of these is an internal
 * error and gets an id that appears both in the reply and in the log.
 */
export type ErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'no_incident_context'
  | 'forbidden'
  | 'conflict'
  | 'duplicate_request'
  | 'config_invalid'
  | 'playbook_invalid'
  | 'unavailable';

export class BotError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;

  constructor(code: ErrorCode, userMessage: string, options?: { cause?: unknown }) {
    super(userMessage, options);
    this.name = 'BotError';
    this.code = code;
    this.userMessage = userMessage;
  }
}

/**
 * What the bot said no to, as facts: each is worded once, in `slack/views/refusals.ts`, where the answer is given.
 * Use cases throw these instead of writing the sentence themselves.
 */
export type Refusal =
  | { kind: 'no-incident'; key: string }
  | { kind: 'no-incident-here' }
  | { kind: 'many-incidents-here'; keys: string[] }
  | { kind: 'no-action'; key: string; action: string }
  | { kind: 'action-not-configured'; action: string }
  | { kind: 'no-check'; name: string; closest: string[] }
  | { kind: 'no-playbook'; typed: string; closest: string[] }
  | { kind: 'no-user'; user: string }
  | { kind: 'open-unconfirmed' }
  | { kind: 'too-many-opens'; max: number; windowMs: number }
  /** A playbook given to the other command: an incident playbook to `change`, a change runbook to `/incident`. */
  | { kind: 'wrong-run-kind'; playbook: string; runKind: RunKind }
  | OnCallRefusal;

/** What the on-call commands say no to; worded in `slack/views/oncallRefusals.ts`. */
export type OnCallRefusal =
  | { kind: 'no-schedules' }
  | { kind: 'no-schedule'; typed: string; closest: string[]; names: string[] }
  /** Someone typed for a shift who cannot take one: no user by that id or name, or a deactivated one. */
  | { kind: 'cannot-be-on-call'; typed: string; why: 'no-such-id' | 'no-such-name' | 'deactivated' }
  /** An override longer than MAX_OVERRIDE_MS: the rotation in the config is what changes for longer. */
  | { kind: 'override-too-long'; start: Date; end: Date; zone: string; now: Date }
  | { kind: 'swap-with-self' }
  | { kind: 'no-shift-to-swap'; user: string; schedule: string }
  /** A swap whose shift overlaps an override already made: it is removed first, or a part is overridden instead. */
  | {
      kind: 'swap-overlaps';
      user: string;
      shift: { start: Date; end: Date };
      override: { id: number; kind: string; user: string; start: Date; end: Date };
      zone: string;
      now: Date;
    }
  | { kind: 'no-override'; id: number }
  | { kind: 'override-removed-already'; id: number };

const REFUSAL_CODES: Record<Refusal['kind'], ErrorCode> = {
  'no-incident': 'not_found',
  'no-incident-here': 'no_incident_context',
  'many-incidents-here': 'no_incident_context',
  'no-action': 'bad_request',
  'action-not-configured': 'bad_request',
  'no-check': 'bad_request',
  'no-playbook': 'not_found',
  'no-user': 'not_found',
  'open-unconfirmed': 'unavailable',
  'too-many-opens': 'forbidden',
  'wrong-run-kind': 'bad_request',
  'no-schedules': 'not_found',
  'no-schedule': 'not_found',
  'cannot-be-on-call': 'bad_request',
  'override-too-long': 'bad_request',
  'swap-with-self': 'bad_request',
  'no-shift-to-swap': 'bad_request',
  'swap-overlaps': 'bad_request',
  'no-override': 'bad_request',
  'override-removed-already': 'bad_request',
};

/** A refusal thrown: `userMessage` is its kind and facts, for the log; a person reads the worded sentence. */
export class RefusalError extends BotError {
  constructor(
    readonly refusal: Refusal,
    options?: { cause?: unknown },
  ) {
    super(REFUSAL_CODES[refusal.kind], `${refusal.kind} ${JSON.stringify(refusal)}`, options);
    this.name = 'RefusalError';
  }
}

export const refused = (refusal: Refusal, options?: { cause?: unknown }) => new RefusalError(refusal, options);

export const badRequest = (message: string) => new BotError('bad_request', message);
export const notFound = (message: string) => new BotError('not_found', message);
export const forbidden = (message: string) => new BotError('forbidden', message);
export const conflict = (message: string) => new BotError('conflict', message);

/**
 * A field of whatever was thrown: libraries throw objects of their own shapes (`code`, `cause`, `retryAfter`), so
 * this is the one place that looks inside them. Undefined when there is no such field.
 */
export function thrownField(error: unknown, key: string): unknown {
  if (typeof error !== 'object' || error === null) return undefined;
  const value: unknown = Reflect.get(error, key);
  return value;
}

/** The field when it is a string (an error code, a message). */
export function thrownText(error: unknown, key: string): string | undefined {
  const value = thrownField(error, key);
  return typeof value === 'string' ? value : undefined;
}

export function isBotError(error: unknown): error is BotError {
  return error instanceof BotError;
}

/** A short id that ties the sentence a user sees to the log line with the cause. */
export function errorId(): string {
  return `E${Date.now().toString(36).slice(-5)}${Math.random().toString(36).slice(2, 6)}`.toUpperCase();
}

/** A located problem in a file: what config, playbook and lint errors are made of. */
export interface SourceProblem {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

export function formatProblem(p: SourceProblem): string {
  const where = p.path ? ` (${p.path})` : '';
  return `${p.file}:${p.line}:${p.column}${where}: ${p.message}`;
}

/** Many problems at once: config and playbook loading never stop at the first. */
export class ProblemsError extends BotError {
  constructor(
    code: 'config_invalid' | 'playbook_invalid',
    readonly problems: SourceProblem[],
  ) {
    super(code, `${problems.length} problem(s):\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'ProblemsError';
  }
}
