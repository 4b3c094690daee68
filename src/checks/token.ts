import { systemClock } from '../clock.js';
import { formatDuration } from '../domain/duration.js';
import type { Runner } from './types.js';

/**
 * Reads the token manager's view of a provider. Nothing is fetched: another
 * attempt would read the same state, so a bad state is not retried.
 */
export const runToken: Runner<'token'> = async (config, attempt) => {
  const { provider } = config;
  if (!attempt.ctx.tokens) return { failure: 'token states are not available to this check run', retryable: false };
  const state = attempt.ctx.tokens.state(provider);
  if (!state) return { failure: `no token provider ${provider} is configured`, retryable: false };
  const now = (attempt.ctx.clock ?? systemClock).now();
  const left = state.expiresAt ? state.expiresAt.getTime() - now.getTime() : undefined;
  const lastError = state.lastError ? ` (last refresh: ${state.lastError})` : '';
  const refresh = `refresh it with /incident token refresh ${provider}${lastError}`;
  switch (state.status) {
    case 'valid':
      attempt.details.push(
        `✓ token ${provider} is valid${left !== undefined && left > 0 ? `, expires in ${formatDuration(left)}` : ''}`,
      );
      return {};
    case 'expiring': {
      const degraded =
        left !== undefined && left > 0
          ? `token ${provider} expires in ${formatDuration(left)}`
          : `token ${provider} is about to expire`;
      attempt.details.push(`⚠ ${degraded}${lastError}`);
      return { degraded };
    }
    case 'expired': {
      // The manager calls a token expired once inside its safety buffer, before the real expiry.
      const failure =
        left === undefined
          ? `token ${provider} has expired`
          : left <= 0
            ? `token ${provider} expired ${formatDuration(-left)} ago`
            : `token ${provider} is past its safety buffer (expires in ${formatDuration(left)})`;
      attempt.details.push(`✗ ${failure}; ${refresh}`);
      return { failure, retryable: false };
    }
    case 'missing':
      attempt.details.push(`✗ no token for ${provider} yet; ${refresh}`);
      return { failure: `no token for ${provider}`, retryable: false };
  }
};
