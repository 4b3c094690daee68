import { describe, expect, it } from 'vitest';
import {
  isPlatformError,
  isUnreadableChannel,
  joiningIfNeeded,
  retryAfterOf,
  slackError,
} from '../../src/slackApi/errors.js';

/** What @slack/web-api throws when Slack answers `ok: false`. */
const refusal = (error: string) =>
  Object.assign(new Error(`An API error occurred: ${error}`), {
    code: 'slack_webapi_platform_error',
    data: { ok: false, error },
  });

describe('Slack Web API errors', () => {
  it('reads the error code Slack answered, and nothing from an error that is not an answer', () => {
    expect(slackError(refusal('name_taken'))).toBe('name_taken');
    expect(slackError(new Error('socket hang up'))).toBeUndefined();
    expect(slackError(undefined)).toBeUndefined();
    expect(isPlatformError(refusal('name_taken'))).toBe(true);
    expect(isPlatformError(new Error('socket hang up'))).toBe(false);
  });

  it('reads how long a rate limit asks to wait, one second when it does not say, and nothing for other errors', () => {
    const limited = (retryAfter?: number) =>
      Object.assign(new Error('A rate limit was exceeded'), { code: 'slack_webapi_rate_limited_error', retryAfter });
    expect(retryAfterOf(limited(30))).toBe(30);
    expect(retryAfterOf(limited())).toBe(1);
    expect(retryAfterOf(refusal('ratelimited'))).toBeUndefined();
  });

  it('calls a channel unreadable when the bot is not in it or it is gone, and not on other refusals', () => {
    expect(isUnreadableChannel(refusal('not_in_channel'))).toBe(true);
    expect(isUnreadableChannel(refusal('channel_not_found'))).toBe(true);
    expect(isUnreadableChannel(refusal('ratelimited'))).toBe(false);
  });

  it('joins and posts again once when the bot is not in the channel', async () => {
    const calls: string[] = [];
    let joined = false;
    const post = async () => {
      calls.push('post');
      if (!joined) throw refusal('not_in_channel');
      return 'posted';
    };
    const answer = await joiningIfNeeded(post, async () => {
      calls.push('join');
      joined = true;
    });
    expect(answer).toBe('posted');
    expect(calls).toEqual(['post', 'join', 'post']);
  });

  it('does not join on any other refusal, and passes on what the join itself refuses', async () => {
    const join = async () => {
      throw refusal('method_not_supported_for_channel_type');
    };
    await expect(joiningIfNeeded(() => Promise.reject(refusal('is_archived')), join)).rejects.toThrow('is_archived');
    await expect(joiningIfNeeded(() => Promise.reject(refusal('not_in_channel')), join)).rejects.toThrow(
      'method_not_supported_for_channel_type',
    );
  });
});
