import { describe, expect, it } from 'vitest';
import { RateLimitGate, RateLimitedError, limitKey } from '../../src/slack/rateLimits.js';

const limited = (seconds: number) =>
  Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: seconds });

describe('the Slack rate-limit gate', () => {
  it('keeps posts per channel and every other method per workspace', () => {
    expect(limitKey('chat.postMessage', 'C1')).toBe('chat.postMessage:C1');
    expect(limitKey('chat.update', 'C1')).toBe('chat.update:C1');
    expect(limitKey('usergroups.users.list', 'C1')).toBe('usergroups.users.list');
  });

  it('refuses a call whose method and channel are limited for longer than it may wait, without calling Slack', async () => {
    let now = 0;
    const gate = new RateLimitGate(() => now, 0);
    let calls = 0;
    await expect(
      gate.call('chat.update', 'C1', () => {
        calls++;
        return Promise.reject(limited(30));
      }),
    ).rejects.toMatchObject({ retryAfter: 30 });
    const refused = await gate
      .call('chat.update', 'C1', () => {
        calls++;
        return Promise.resolve('sent');
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 30 });
    expect(calls).toBe(1);
    // Another channel, another method: not held.
    expect(await gate.call('chat.update', 'C2', () => Promise.resolve('other channel'))).toBe('other channel');
    expect(await gate.call('conversations.open', undefined, () => Promise.resolve('other method'))).toBe(
      'other method',
    );
    // Once Retry-After has passed, the key is free again.
    now += 30_000;
    expect(await gate.call('chat.update', 'C1', () => Promise.resolve('sent'))).toBe('sent');
  });

  it('waits out a short Retry-After once and tries again', async () => {
    const gate = new RateLimitGate(Date.now, 5_000);
    let calls = 0;
    const result = await gate.call('pins.add', undefined, () =>
      ++calls === 1 ? Promise.reject(limited(1)) : Promise.resolve('pinned'),
    );
    expect(result).toBe('pinned');
    expect(calls).toBe(2);
  });
});
