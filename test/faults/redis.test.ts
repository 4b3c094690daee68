import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { type FaultHarness, startFaultHarness } from './support/stack.js';

const ADA = 'U0ONCALL01';
const MINUTE = 60_000;

describe('Redis going away', () => {
  let h: FaultHarness;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(new Date());
    h = await startFaultHarness({ clock, log: silentLogger });
  });
  afterAll(() => h.stop());

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
});
