import { definedProps, presentProps } from '../domain/defined.js';
import type { RefreshOutcome, TokenState } from '../tokens/state.js';
import type { AppDeps } from './deps.js';

/**
 * How long one token's failure is remembered: a token without an expiry (never obtained) is alerted again after
 * this.
 */
const ALERT_ONCE_MS = 3_600_000;
/** How long "this provider is alerted" is kept, so the recovery is said once the refresh works again. */
const ALERTED_MS = 7 * 24 * 3_600_000;

/**
 * After a proactive refresh run: a provider whose refresh failed while its
 * token is within `alert_before` of expiry, expired or never obtained is
 * posted to its `alert_channel`, once per token (two replicas, or the next
 * run, do not post it again); when its refresh works again, that is said
 * once. Providers without an alert channel have the warning in the log only.
 */
export async function alertTokens(deps: AppDeps, outcomes: RefreshOutcome[], states: TokenState[]): Promise<number> {
  let posted = 0;
  for (const state of states) {
    const config = deps.config.tokens[state.provider];
    const failed = outcomes.find((o) => o.provider === state.provider && !o.ok);
    const failing = failed !== undefined && state.status !== 'valid';
    if (failing)
      deps.log.warn(
        { provider: state.provider, status: state.status, expiresAt: state.expiresAt, error: failed.error },
        'token could not be kept fresh',
      );
    if (!config?.alert_channel) continue;
    const alerted = `token-alert:${state.provider}`;
    const expiry = state.expiresAt?.getTime() ?? 'none';
    if (failing) {
      if (await postOnce(deps, `${alerted}:${expiry}`, config.alert_channel, state, 'failing', failed.error)) posted++;
      await deps.coord.set(alerted, 'failing', ALERTED_MS);
    } else if (!failed && state.status === 'valid' && (await deps.coord.get(alerted)) === 'failing') {
      if (await postOnce(deps, `${alerted}:recovered:${expiry}`, config.alert_channel, state, 'recovered')) posted++;
      await deps.coord.delete(alerted);
    }
  }
  return posted;
}

/**
 * Posts unless `key` was claimed already ('unknown', Redis down, posts: a second alert beats none); a post that
 * fails frees the key for the next run.
 */
async function postOnce(
  deps: AppDeps,
  key: string,
  channel: string,
  token: TokenState,
  state: 'failing' | 'recovered',
  error?: string,
): Promise<boolean> {
  if ((await deps.coord.claimOnce(key, ALERT_ONCE_MS)) === 'seen') return false;
  const { provider, title, status, expiresAt } = token;
  try {
    await deps.slack.postInChannel(channel, {
      kind: 'token-alert',
      provider,
      title,
      state,
      status,
      ...definedProps({ expiresAt }),
      ...presentProps({ error }),
    });
    return true;
  } catch (cause) {
    deps.log.error({ err: cause, provider, channel }, 'could not post the token alert; the next run tries again');
    await deps.coord.delete(key);
    return false;
  }
}
