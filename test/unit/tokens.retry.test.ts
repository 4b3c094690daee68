import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { envFields } from '../../src/config/fields.js';
import { tokenProviderSchema } from '../../src/config/tokens.js';
import { backoffDelay } from '../../src/domain/backoff.js';
import { lockBudget } from '../../src/tokens/index.js';
import { retryAfterMs, withRetries } from '../../src/tokens/retry.js';

const policy = { initial: 1_000, factor: 2, max: 30_000, jitter: false };

describe('backoff', () => {
  it('doubles from the first wait up to the longest', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((retry) => backoffDelay(policy, retry - 1))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });

  it('draws a jittered wait between half and all of it', () => {
    const jittered = { ...policy, jitter: true };
    expect(backoffDelay(jittered, 2, () => 0)).toBe(2_000);
    expect(backoffDelay(jittered, 2, () => 0.5)).toBe(3_000);
    expect(backoffDelay(jittered, 2, () => 1)).toBe(4_000);
  });

  it('retries only what a retry can fix, at most `retries` times', async () => {
    const sleeps: number[] = [];
    const options = { retries: 3, backoff: policy, random: () => 0, sleep: async (ms: number) => void sleeps.push(ms) };
    const permanent = await withRetries(async () => ({ ok: false as const, retry: false, error: 'no' }), options);
    expect(permanent.attempts).toBe(1);
    const transient = await withRetries(
      async () => ({ ok: false as const, retry: true, error: 'later', retryAfterMs: 1_500 }),
      options,
    );
    expect(transient.attempts).toBe(4);
    expect(sleeps).toEqual([1_500, 2_000, 4_000]);
  });

  it('reads Retry-After as seconds or as a date', () => {
    const clock = new ManualClock('2026-03-01T12:00:00Z');
    expect(retryAfterMs('7', clock.now())).toBe(7_000);
    expect(retryAfterMs('Sun, 01 Mar 2026 12:00:30 GMT', clock.now())).toBe(30_000);
    expect(retryAfterMs('soon', clock.now())).toBeUndefined();
    expect(retryAfterMs(null, clock.now())).toBeUndefined();
  });

  it('holds the refresh lock for every attempt timing out plus every wait', () => {
    const config = tokenProviderSchema(envFields({ A: 'a' })).parse({
      token_url: 'http://127.0.0.1/token',
      client_id: '${A}',
      client_secret: '${A}',
    });
    // The runbook defaults: 60 s timeout, 3 retries, waits of 1 s, 2 s and 4 s; one more timeout for the sink, 5
    // s spare.
    expect(lockBudget(config)).toBe(5 * 60_000 + 7_000 + 5_000);
  });
});
