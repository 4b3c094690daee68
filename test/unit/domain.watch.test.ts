import { describe, expect, it } from 'vitest';
import { afterRun, startWindows, watchStanding } from '../../src/domain/watch.js';

const MINUTE = 60_000;
const at = new Date('2026-12-07T10:00:00Z');
const later = (ms: number) => new Date(at.getTime() + ms);
const [window] = startWindows(
  {
    windows: [{ every: 5 * MINUTE, for: 60 * MINUTE, checks: ['deploy-critical'] }],
    failures_in_a_row: 3,
    opens: 'critical',
  },
  at,
);

describe('post-deploy watch', () => {
  it('schedules the next run one period after the one that was due, so runs do not drift', () => {
    const outcome = afterRun(window!, 'pass', 3, { dueAt: at, at: later(20_000) });
    expect(outcome).toMatchObject({ kind: 'next', nextAt: later(5 * MINUTE), window: { runs: 1, failuresInARow: 0 } });
  });

  it('after the bot was away, runs next at the first slot still ahead, not in a burst', () => {
    const outcome = afterRun(window!, 'pass', 3, { dueAt: at, at: later(17 * MINUTE) });
    expect(outcome).toMatchObject({ kind: 'next', nextAt: later(20 * MINUTE) });
  });

  it('counts failures in a row, starts over on a pass (a slow pass too), and trips at the limit', () => {
    let w = window!;
    for (const verdict of ['fail', 'fail', 'degraded', 'fail', 'fail'] as const) {
      const outcome = afterRun(w, verdict, 3, { dueAt: at, at });
      expect(outcome.kind).toBe('next');
      w = outcome.window;
    }
    expect(w.failuresInARow).toBe(2);
    expect(afterRun(w, 'fail', 3, { dueAt: at, at })).toMatchObject({ kind: 'tripped', window: { state: 'tripped' } });
  });

  it('passes once the next run would fall at or past the window’s end', () => {
    expect(afterRun(window!, 'pass', 3, { dueAt: later(55 * MINUTE), at: later(55 * MINUTE) })).toMatchObject({
      kind: 'passed',
    });
  });

  it('stands watching until every window passed, and tripped when one tripped', () => {
    const passed = { ...window!, state: 'passed' as const };
    expect(watchStanding([])).toBe('not-started');
    expect(watchStanding([passed, window!])).toBe('watching');
    expect(watchStanding([passed, passed])).toBe('passed');
    expect(watchStanding([passed, { ...window!, state: 'tripped' }])).toBe('tripped');
  });
});
