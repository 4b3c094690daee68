import type { Clock } from '../clock.js';
import type { CheckConfig } from '../config/checks.js';
import type { Secret } from '../config/secret.js';

/** `degraded` means the check passed but took longer than its `latency_budget` (or a token is about to expire). */
export type CheckStatus = 'pass' | 'degraded' | 'fail';

export interface CheckResult {
  name: string;
  title: string;
  kind: CheckConfig['kind'];
  status: CheckStatus;
  /** Of the last attempt. */
  latencyMs: number;
  attempts: number;
  /** The failing expectation in plain words: `expected status 200, got 503`. */
  failure?: string;
  /** One short line per expectation evaluated, passed or not; command output goes here too. */
  details: string[];
  startedAt: Date;
}

/** The part of the token manager's state a check reads (src/tokens' TokenState fits it). */
export interface CheckTokenState {
  status: 'valid' | 'expiring' | 'expired' | 'missing';
  expiresAt?: Date;
  /** Why the last refresh failed, in plain words; shown with a bad state. */
  lastError?: string;
}

export interface TokenStateSource {
  state(provider: string): CheckTokenState | undefined;
}

export interface CheckContext {
  clock?: Clock;
  tokens?: TokenStateSource;
  /** Cancels every attempt and every wait between attempts. */
  signal?: AbortSignal;
  /** For backoff jitter; injectable so tests can pin it. */
  random?: () => number;
  /** Waits between attempts; injectable so tests assert delays without waiting. */
  sleep?: (ms: number) => Promise<void>;
}

export type CheckOf<K extends CheckConfig['kind']> = Extract<CheckConfig, { kind: K }>;

/** What one attempt of a runner gets. */
export interface Attempt {
  /** Aborted when the attempt's timeout passes or the caller cancels: runners tear their clients down on it. */
  readonly signal: AbortSignal;
  /** Lines pushed as the attempt goes, so a timed-out attempt still shows how far it got. */
  readonly details: string[];
  /** Reveals a credential and remembers it, so the result can be scrubbed of it. */
  reveal(secret: Secret): string;
  readonly ctx: CheckContext;
}

/** A runner's judgement of one attempt; no `failure` means it passed. */
export interface Verdict {
  failure?: string;
  /** Passed, but with a warning (a token about to expire). */
  degraded?: string;
  /** False for faults another attempt cannot fix (a missing variable, a bad selector). */
  retryable?: boolean;
}

export type Runner<K extends CheckConfig['kind']> = (config: CheckOf<K>, attempt: Attempt) => Promise<Verdict>;
