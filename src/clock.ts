/** The one source of time. Domain code takes `now` as an argument; everything else asks a Clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that runs with real time but can be moved forward. The playground's
 * "+15 min" button and the scheduler tests use it; production never builds one.
 */
export class AdjustableClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: Clock = systemClock) {}

  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
    return this.now();
  }

  get offset(): number {
    return this.offsetMs;
  }

  /** Restores an offset saved by an earlier run (the playground keeps it across restarts). */
  restore(offsetMs: number): void {
    this.offsetMs = Math.max(0, offsetMs);
  }
}

/** A clock that stands still until told to move: for tests that must not depend on wall time. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }

  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }
}
