/**
 * Reading Slack Web API failures, shared by the Slack adapter (`slack/`) and the
 * notification engine (`notify/`), which may not import `slack/`. Pure: no client, no I/O.
 */
import { thrownField, thrownText } from '../errors.js';

/** The Slack error code of a failed Web API call (`not_in_channel`, `name_taken`, …). */
export function slackError(error: unknown): string | undefined {
  return thrownText(thrownField(error, 'data'), 'error');
}

/** Slack answered, and its answer is no (not a 5xx, a timeout or a rate limit): trying again will not help. */
export function isPlatformError(error: unknown): boolean {
  return thrownField(error, 'code') === 'slack_webapi_platform_error';
}

/** Seconds Slack asked us to wait, when the error is a rate limit. */
export function retryAfterOf(error: unknown): number | undefined {
  if (thrownField(error, 'code') !== 'slack_webapi_rate_limited_error') return undefined;
  const after = thrownField(error, 'retryAfter');
  return typeof after === 'number' ? after : 1;
}

/** A channel the bot cannot read (not joined, or gone): nothing the bot posted can be found in it. */
export function isUnreadableChannel(error: unknown): boolean {
  const code = slackError(error);
  return code === 'not_in_channel' || code === 'channel_not_found';
}

/**
 * Runs `call`; when Slack answers that the bot is not in the channel, runs `join` and then `call` once more
 * (public channels only: a private one refuses the join, and that refusal is what the caller sees).
 */
export async function joiningIfNeeded<T>(call: () => Promise<T>, join: () => Promise<unknown>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (slackError(error) !== 'not_in_channel') throw error;
    await join();
    return call();
  }
}
