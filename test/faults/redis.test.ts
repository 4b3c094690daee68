import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { RedisCoordinator } from '../../src/coord/redis.js';
import { silentLogger } from '../../src/log.js';
import { REDIS_URL } from '../support/env.js';
import { until } from '../support/wait.js';
import { type FaultHarness, startFaultHarness } from './support/stack.js';

const ADA = 'U0ONCALL01';
const MINUTE = 60_000;

describe('Redis going away', () => {
  let h: FaultHarness;
  let clock: ManualClock;
  /** The test's own look at Redis, not through the proxy. */
  let redis: Redis;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    clock = new ManualClock(new Date());
    h = await startFaultHarness({ clock, log: silentLogger });
    redis = new Redis(REDIS_URL, { lazyConnect: true });
    await redis.connect();
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    redis.disconnect();
    await h.stop();
  });

  const pagesOf = async (key: string) =>
    (
      await h.db.query<{ level: number; n: number }>(
        `SELECT (e.data ->> 'level')::int AS level, count(*)::int AS n FROM timeline_events e
           JOIN incidents i ON i.id = e.incident_id
          WHERE i.key = $1 AND e.kind = 'escalation.paged' GROUP BY 1 ORDER BY 1`,
        [key],
      )
    ).rows;
  const count = async (key: string, kind: string) =>
    (
      await h.db.query(
        `SELECT 1 FROM timeline_events e JOIN incidents i ON i.id = e.incident_id WHERE i.key = $1 AND e.kind = $2`,
        [key, kind],
      )
    ).rowCount;
  /** The click and command claims the bot wrote to Redis (`seen:` keys under its prefix). */
  const claimsInRedis = async () => {
    const prefix = (h.coord as RedisCoordinator).client.options.keyPrefix ?? '';
    return (await redis.keys(`${prefix}seen:*`)).length;
  };

  it('Redis gone while an incident opens and escalates: opened once, placed, each level paged once', async () => {
    await h.redis.cut();
    await h.slack.sendCommand({ text: 'auth-401 without redis', user: ADA });
    await h.settle();
    const { rows } = await h.db.query<{ key: string; placed_at: Date | null }>('SELECT key, placed_at FROM incidents');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.placed_at).not.toBeNull();
    await h.advance(16 * MINUTE);
    await h.redis.restore();
    await h.advance(MINUTE);
    const { rows: pages } = await h.db.query<{ level: number; n: number }>(
      `SELECT (data ->> 'level')::int AS level, count(*)::int AS n FROM timeline_events
        WHERE kind = 'escalation.paged' GROUP BY 1 ORDER BY 1`,
    );
    expect(pages).toEqual([
      { level: 1, n: 1 },
      { level: 2, n: 1 },
    ]);
  });

  it(
    'Redis gone for a minute while a level falls due: each level paged once, a click recorded once, ' +
      'and the bot coordinates through Redis again once it is back',
    async () => {
      const { key, channel, ts } = await h.open('auth-401 redis away for a minute');
      expect(await pagesOf(key)).toEqual([{ level: 1, n: 1 }]);
      await h.advance(14 * MINUTE + 30_000);
      expect(await pagesOf(key)).toEqual([{ level: 1, n: 1 }]);

      await h.redis.cut();
      const claimsBefore = await claimsInRedis();
      await h.advance(30_000); // 15 minutes: level 2 falls due while Redis is away
      await h.slack.click({ user: ADA, channel, ts, actionId: 'step.done.3' });
      await h.advance(30_000);
      expect(await pagesOf(key)).toEqual([
        { level: 1, n: 1 },
        { level: 2, n: 1 },
      ]);
      expect(await count(key, 'step.done')).toBe(1);
      expect(await claimsInRedis()).toBe(claimsBefore);

      await h.redis.restore();
      await until(() => h.coord.ping(), { what: "the bot's Redis client to reconnect" });
      await h.slack.click({ user: ADA, channel, ts, actionId: 'step.done.2' });
      await h.settle();
      expect(await claimsInRedis()).toBe(claimsBefore + 1);
      expect(await count(key, 'step.done')).toBe(2);

      await h.advance(15 * MINUTE); // level 2 was paged at 15 minutes and nobody acknowledged: level 3
      await h.advance(MINUTE);
      expect(await pagesOf(key)).toEqual([
        { level: 1, n: 1 },
        { level: 2, n: 1 },
        { level: 3, n: 1 },
      ]);
      expect(await count(key, 'incident.escalated')).toBe(2);
      expect(unhandled).toEqual([]);
    },
  );
});
