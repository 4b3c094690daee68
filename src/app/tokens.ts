import type { Incident } from '../domain/incident.js';
import { isBotError } from '../errors.js';
import type { RefreshOutcome } from '../tokens/index.js';
import { checkAccess } from './access.js';
import { findIncident } from './context.js';
import type { Actor, AppDeps } from './deps.js';
import type { Target } from './lifecycle.js';
import type { Reply } from './replies.js';
import { finishStepRunner, startStepRunner } from './stepRun.js';
import { timelineEvent } from '../domain/timeline.js';
import { definedProps, presentProps } from '../domain/defined.js';

/** `/incident token status`: each provider's validity, age, last refresh and last error. */
export async function tokenStatus(deps: AppDeps): Promise<Reply> {
  return { kind: 'tokens', tokens: await deps.tokens.states() };
}

/**
 * Refreshes, unless a refresh finished after this request arrived: many people
 * pressing "refresh" at once (queued behind other work) cause one token call.
 */
async function refreshOnce(deps: AppDeps, provider: string, actor: Actor): Promise<RefreshOutcome> {
  if (actor.receivedAt) {
    const state = (await deps.tokens.states()).find((s) => s.provider === provider);
    if (state?.obtainedAt && state.expiresAt && state.obtainedAt >= actor.receivedAt) {
      return { provider, ok: true, expiresAt: state.expiresAt, attempts: 0, durationMs: 0, by: 'cache' };
    }
  }
  return deps.tokens.refresh(provider);
}

async function refreshAndRecord(
  deps: AppDeps,
  provider: string,
  incident: Incident | undefined,
  actor: Actor,
  step?: number,
): Promise<RefreshOutcome> {
  const outcome = await refreshOnce(deps, provider, actor);
  if (incident) {
    await deps.spool.record({
      incidentId: incident.id,
      occurredAt: deps.clock.now(),
      actor: actor.user,
      ...timelineEvent(outcome.ok ? 'token.refreshed' : 'token.refresh_failed', {
        provider,
        attempts: outcome.attempts,
        by: outcome.by,
        ...(outcome.expiresAt ? { expiresAt: outcome.expiresAt.toISOString() } : {}),
        ...presentProps({ error: outcome.error }),
        ...(step ? { step } : {}),
      }),
    });
    if (incident.channelId && incident.messageTs) {
      await deps.slack.postInThread(incident.channelId, incident.messageTs, {
        kind: 'token-refreshed',
        actor: actor.user,
        provider,
        ok: outcome.ok,
        ...definedProps({ expiresAt: outcome.expiresAt }),
        ...presentProps({ error: outcome.error }),
      });
    }
  }
  return outcome;
}

/** `/incident token refresh <provider>`: in an incident it lands in the timeline and the thread. */
export async function refreshToken(deps: AppDeps, target: Target, provider: string, actor: Actor): Promise<Reply> {
  const incident = await findIncident(deps.db, target).catch((error: unknown) => {
    if (isBotError(error) && error.code === 'no_incident_context' && !target.key) return undefined;
    throw error;
  });
  if (incident) await checkAccess(deps, incident, { intent: 'change', what: 'refresh a token in', actor });
  const outcome = await refreshAndRecord(deps, provider, incident, actor);
  return tokenRefreshReply(provider, outcome);
}

/** A step's Refresh token button. */
export async function refreshStepToken(
  deps: AppDeps,
  incident: Incident,
  step: number,
  provider: string,
  actor: Actor,
): Promise<Reply> {
  const notStarted = await startStepRunner(deps, incident, step, { token: provider }, actor);
  if (notStarted) return notStarted;
  const outcome = await refreshAndRecord(deps, provider, incident, actor, step);
  const reason = outcome.error ?? 'refresh failed';
  await finishStepRunner(deps, incident, step, outcome.ok ? { ok: true } : { ok: false, reason });
  return tokenRefreshReply(provider, outcome, step);
}

function tokenRefreshReply(
  provider: string,
  outcome: { ok: boolean; expiresAt?: Date; error?: string },
  step?: number,
): Reply {
  return {
    kind: 'token-refresh',
    provider,
    ok: outcome.ok,
    ...definedProps({ expiresAt: outcome.expiresAt }),
    ...presentProps({ error: outcome.error }),
    ...definedProps({ step }),
  };
}
