import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/checks/retry.js';

const policy = { initial: 500, factor: 2, max: 5_000, jitter: false };

describe('backoffDelay', () => {
  it('grows by the factor and stops at max', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n))).toEqual([500, 1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('with factor 1 waits the same each time', () => {
    expect([0, 3].map((n) => backoffDelay({ ...policy, factor: 1 }, n))).toEqual([500, 500]);
  });

  it('with jitter waits between half and all of the step (equal jitter)', () => {
    const jittered = { ...policy, jitter: true };
    expect(backoffDelay(jittered, 1, () => 0)).toBe(500);
    expect(backoffDelay(jittered, 1, () => 0.5)).toBe(750);
    expect(backoffDelay(jittered, 1, () => 0.999999)).toBe(1_000);
    expect(backoffDelay(jittered, 9, () => 1)).toBe(5_000);
  });

  it('keeps a broken random source inside the bounds', () => {
    const jittered = { ...policy, jitter: true };
    expect(backoffDelay(jittered, 0, () => 7)).toBe(500);
    expect(backoffDelay(jittered, 0, () => -1)).toBe(250);
  });
});
