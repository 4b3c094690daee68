import { afterEach, describe, expect, it } from 'vitest';
import type { Coordinator } from '../../src/coord/coordinator.js';
import { InProcessCoordinator } from '../../src/coord/memory.js';
import { sharedBucket } from '../../src/coord/rateLimiter.js';
import { uniqueName } from '../support/env.js';
import { testCoordinator } from '../support/redis.js';
import { until } from '../support/wait.js';

const coords: Coordinator[] = [];
afterEach(async () => {
  await Promise.all(coords.splice(0).map((c) => c.close()));
});

const redis = async () => {
  const prefix = `${uniqueName('ib')}:`;
  const pair = [testCoordinator(prefix), testCoordinator(prefix)];
  coords.push(...pair);
  await until(async () => (await Promise.all(pair.map((c) => c.ping()))).every(Boolean));
  return pair;
};

describe.each([
  ['in this process', (): Promise<Coordinator> => Promise.resolve(new InProcessCoordinator())],
  ['through Redis', async (): Promise<Coordinator> => (await redis())[0]!],
])('a token bucket %s', (_where, coordinator) => {
  it('gives the burst at once, then one call per interval, saying how long to wait', async () => {
    const coord = await coordinator();
    const bucket = sharedBucket(coord, uniqueName('b'), { perMinute: 60, burst: 3 });
    const taken = [await bucket.take('k'), await bucket.take('k'), await bucket.take('k')];
    expect(taken.map((t) => t.taken && t.remaining)).toEqual([2, 1, 0]);
    const refused = await bucket.take('k');
    expect(refused.taken).toBe(false);
    expect(!refused.taken && refused.waitMs).toBeGreaterThan(900);
    expect(!refused.taken && refused.waitMs).toBeLessThanOrEqual(1_000);
    // Another key has its own bucket.
    expect((await bucket.take('other')).taken).toBe(true);
  });

  it('takes a call given back again at once, and nothing while blocked', async () => {
    const coord = await coordinator();
    const bucket = sharedBucket(coord, uniqueName('b'), { perMinute: 60, burst: 1 });
    expect((await bucket.take('k')).taken).toBe(true);
    expect((await bucket.take('k')).taken).toBe(false);
    await bucket.giveBack('k');
    expect((await bucket.take('k')).taken).toBe(true);
    await bucket.giveBack('k');
    await bucket.block('k', 30);
    const blocked = await bucket.take('k');
    expect(!blocked.taken && blocked.waitMs).toBeGreaterThan(29_000);
  });
});

describe('a token bucket shared through Redis', () => {
  it('is one bucket for two replicas', async () => {
    const [one, two] = await redis();
    const name = uniqueName('b');
    const buckets = [
      sharedBucket(one!, name, { perMinute: 60, burst: 4 }),
      sharedBucket(two!, name, { perMinute: 60, burst: 4 }),
    ];
    const taken = await Promise.all(Array.from({ length: 8 }, (_, i) => buckets[i % 2]!.take('k')));
    expect(taken.filter((t) => t.taken)).toHaveLength(4);
  });
});
