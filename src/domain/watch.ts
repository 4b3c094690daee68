import type { Watch } from '../playbooks/schema.js';
import type { CheckVerdict } from './gates.js';

/**
 * A change's post-deploy watch, as pure rules. It starts at the last GO; each window runs its checks at once,
 * then every `every`, until `for` has passed. A window whose checks fail `failures_in_a_row` runs in a row trips
 * the watch: it opens an incident, and every other window stops. The watch passes when every window has.
 */
export type WindowState = 'watching' | 'passed' | 'tripped' | 'stopped';

export interface WatchWindowStatus {
  window: number;
  checks: string[];
  everyMs: number;
  startedAt: Date;
  endsAt: Date;
  runs: number;
  failuresInARow: number;
  lastStatus: CheckVerdict | null;
  lastRunAt: Date | null;
  state: WindowState;
  /** The incident the watch opened when this window tripped. */
  openedIncidentId: number | null;
}

/** The windows a watch starts with at `at`, numbered from 1. */
export function startWindows(watch: Watch, at: Date): WatchWindowStatus[] {
  return watch.windows.map((w, i) => ({
    window: i + 1,
    checks: w.checks,
    everyMs: w.every,
    startedAt: at,
    endsAt: new Date(at.getTime() + w.for),
    runs: 0,
    failuresInARow: 0,
    lastStatus: null,
    lastRunAt: null,
    state: 'watching',
    openedIncidentId: null,
  }));
}

export type RunOutcome =
  /** The window goes on: its next run is due at `nextAt`. */
  | { kind: 'next'; window: WatchWindowStatus; nextAt: Date }
  /** The window's time is up and it did not trip. */
  | { kind: 'passed'; window: WatchWindowStatus }
  /** Failed `failures_in_a_row` runs in a row: open the incident. */
  | { kind: 'tripped'; window: WatchWindowStatus };

/**
 * One run's verdict applied to its window. The next run is due `every` after the one scheduled (not after the
 * run ended, so runs do not drift), or at the first such slot still ahead when the bot was away; the window
 * passes once the next run would fall at or past its end.
 */
export function afterRun(
  window: WatchWindowStatus,
  verdict: CheckVerdict,
  failuresToTrip: number,
  run: { dueAt: Date; at: Date },
): RunOutcome {
  const failed = verdict === 'fail';
  const next: WatchWindowStatus = {
    ...window,
    runs: window.runs + 1,
    failuresInARow: failed ? window.failuresInARow + 1 : 0,
    lastStatus: verdict,
    lastRunAt: run.at,
  };
  if (failed && next.failuresInARow >= failuresToTrip)
    return { kind: 'tripped', window: { ...next, state: 'tripped' } };
  // The next slot of the window's grid after this run: one period on, or, after the bot was away, the first slot
  // still ahead (the missed ones are not made up in a burst).
  const slots = Math.floor(Math.max(0, run.at.getTime() - run.dueAt.getTime()) / window.everyMs) + 1;
  const nextAt = new Date(run.dueAt.getTime() + slots * window.everyMs);
  if (nextAt.getTime() >= window.endsAt.getTime()) return { kind: 'passed', window: { ...next, state: 'passed' } };
  return { kind: 'next', window: next, nextAt };
}

export type WatchStanding = 'not-started' | 'watching' | 'passed' | 'tripped';

export function watchStanding(windows: readonly WatchWindowStatus[]): WatchStanding {
  if (windows.length === 0) return 'not-started';
  if (windows.some((w) => w.state === 'tripped')) return 'tripped';
  return windows.every((w) => w.state === 'passed') ? 'passed' : 'watching';
}
