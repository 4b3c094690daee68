import { systemClock } from '../clock.js';
import type { CheckConfig } from '../config/checks.js';
import { formatDuration } from '../domain/duration.js';
import { runCommand } from './command.js';
import { formatMs } from './compare.js';
import { describeError, redact, secretParts } from './faults.js';
import { runHttp } from './http.js';
import { runMetrics } from './metrics.js';
import { runPostgres } from './postgres.js';
import { runRedis } from './redis.js';
import { abortableSleep, backoffDelay } from './retry.js';
import { runTcp } from './tcp.js';
import { runToken } from './token.js';
import type { Attempt, CheckContext, CheckResult, CheckStatus, Verdict } from './types.js';

interface AttemptOutcome extends Verdict {
  details: string[];
  latencyMs: number;
}

/** Runs one check with its retries and backoff. Never throws: every fault is a `fail` result. */
export async function runCheck(name: string, config: CheckConfig, ctx: CheckContext = {}): Promise<CheckResult> {
  const startedAt = (ctx.clock ?? systemClock).now();
  const base = { name, title: config.title ?? name, kind: config.kind, startedAt };
  const secrets: string[] = [];
  try {
    const sleep = ctx.sleep ?? abortableSleep(ctx.signal);
    const earlier: string[] = [];
    let attempts = 0;
    let last: AttemptOutcome;
    for (;;) {
      attempts++;
      last = await attemptOnce(config, ctx, secrets);
      const retry =
        last.failure !== undefined && last.retryable !== false && attempts <= config.retries && !ctx.signal?.aborted;
      if (!retry) break;
      earlier.push(`attempt ${attempts}: ${last.failure}`);
      await sleep(backoffDelay(config.backoff, attempts - 1, ctx.random));
      if (ctx.signal?.aborted) break;
    }
    const judged = judge(last, config.latency_budget);
    const details = [...earlier, ...last.details, ...judged.details].map((line) => redact(line, secrets));
    const failure = judged.failure === undefined ? undefined : redact(judged.failure, secrets);
    return {
      ...base,
      status: judged.status,
      latencyMs: Math.round(last.latencyMs),
      attempts,
      ...(failure !== undefined && { failure }),
      details,
    };
  } catch (error) {
    // Only a bug gets here; the result still answers instead of throwing.
    return {
      ...base,
      status: 'fail',
      latencyMs: 0,
      attempts: 1,
      failure: redact(describeError(error).failure, secrets),
      details: [],
    };
  }
}

/** Runs checks side by side, so a group takes as long as its slowest check; results keep the input order. */
export function runChecks(
  checks: ReadonlyArray<{ name: string; config: CheckConfig }>,
  ctx: CheckContext = {},
): Promise<CheckResult[]> {
  return Promise.all(checks.map(({ name, config }) => runCheck(name, config, ctx)));
}

export function overallStatus(results: readonly CheckResult[]): CheckStatus {
  if (results.some((r) => r.status === 'fail')) return 'fail';
  if (results.some((r) => r.status === 'degraded')) return 'degraded';
  return 'pass';
}

function judge(
  outcome: AttemptOutcome,
  budget: number | undefined,
): { status: CheckStatus; failure?: string; details: string[] } {
  if (outcome.failure !== undefined) return { status: 'fail', failure: outcome.failure, details: [] };
  if (outcome.degraded !== undefined) return { status: 'degraded', failure: outcome.degraded, details: [] };
  if (budget === undefined) return { status: 'pass', details: [] };
  const took = formatMs(outcome.latencyMs);
  if (outcome.latencyMs <= budget) return { status: 'pass', details: [`✓ took ${took} (budget ${formatMs(budget)})`] };
  const failure = `took ${took}, over the ${formatMs(budget)} budget`;
  return { status: 'degraded', failure, details: [`✗ ${failure}`] };
}

/**
 * One attempt under a hard deadline: the race ends at `timeout` whatever the
 * client does, and the abort tells the runner to tear its connection down.
 */
async function attemptOnce(config: CheckConfig, ctx: CheckContext, secrets: string[]): Promise<AttemptOutcome> {
  if (ctx.signal?.aborted) return { failure: 'cancelled', retryable: false, details: [], latencyMs: 0 };
  const started = performance.now();
  const controller = new AbortController();
  const details: string[] = [];
  const attempt: Attempt = {
    signal: controller.signal,
    details,
    ctx,
    reveal: (secret) => {
      const value = secret.reveal();
      secrets.push(...secretParts(value));
      return value;
    },
  };
  let timer: NodeJS.Timeout | undefined;
  let onCancel: (() => void) | undefined;
  const deadline = new Promise<Verdict>((resolve) => {
    const timedOut =
      config.kind === 'command'
        ? `still running after ${formatDuration(config.timeout)}; stopped`
        : `no answer within ${formatDuration(config.timeout)}`;
    timer = setTimeout(() => resolve({ failure: timedOut }), config.timeout);
    onCancel = () => resolve({ failure: 'cancelled', retryable: false });
    ctx.signal?.addEventListener('abort', onCancel, { once: true });
  });
  const work = Promise.resolve()
    .then(() => dispatch(config, attempt))
    .catch((error: unknown): Verdict => describeError(error));
  try {
    const verdict = await Promise.race([work, deadline]);
    return { ...verdict, details: [...details], latencyMs: performance.now() - started };
  } finally {
    clearTimeout(timer);
    if (onCancel) ctx.signal?.removeEventListener('abort', onCancel);
    // Whatever is still open (a hung socket, a running process) is closed now.
    controller.abort();
  }
}

function dispatch(config: CheckConfig, attempt: Attempt): Promise<Verdict> {
  switch (config.kind) {
    case 'http':
      return runHttp(config, attempt);
    case 'tcp':
      return runTcp(config, attempt);
    case 'postgres':
      return runPostgres(config, attempt);
    case 'redis':
      return runRedis(config, attempt);
    case 'metrics':
      return runMetrics(config, attempt);
    case 'command':
      return runCommand(config, attempt);
    case 'token':
      return runToken(config, attempt);
  }
}
