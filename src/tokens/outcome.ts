import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../log.js';
import type { RefreshOutcome } from './state.js';

/** A refresh that never reached the token URL (a missing secret, a wait that ran out, a stop, a crash). */
export const notAttempted = (by: RefreshOutcome['by'], error: string) => ({ ok: false, attempts: 0, by, error });

/** One metric and one log line per refresh: loud when this process called the URL, quiet when it shared. */
export function tellOutcome(
  deps: { log: Logger; metrics?: Pick<Metrics, 'tokenRefreshes'> | undefined },
  outcome: RefreshOutcome,
): void {
  const { provider } = outcome;
  const fields = {
    provider,
    ok: outcome.ok,
    by: outcome.by,
    attempts: outcome.attempts,
    durationMs: outcome.durationMs,
    expiresAt: outcome.expiresAt?.toISOString(),
    error: outcome.error,
  };
  if (outcome.by === 'this-process') {
    deps.metrics?.tokenRefreshes.inc({ provider, outcome: outcome.ok ? 'ok' : 'failed' });
    if (outcome.ok) deps.log.info(fields, 'token refreshed');
    else deps.log.warn(fields, 'token refresh failed');
  } else {
    deps.metrics?.tokenRefreshes.inc({ provider, outcome: outcome.ok ? 'shared' : 'failed' });
    deps.log.debug(fields, outcome.ok ? 'token refreshed elsewhere; shared' : 'token refresh failed');
  }
}
