/**
 * Failure injection for the emulated Web API: one table of faults, each a
 * method (optionally only the calls whose params match) failing one way for a
 * number of calls or for a while.
 *
 * How a faulted call is answered (`FaultKind`):
 * - an HTTP status (500, 502, 503…): `{ ok: false, error: 'internal_error' }` with that status; nothing is done.
 * - `ratelimited`: HTTP 429 with `Retry-After: retryAfterSeconds`; nothing is done.
 * - `error`: HTTP 200 `{ ok: false, error }` (Slack's own way to fail); nothing is done.
 * - `hang`: no answer at all until the fault ends (`release()`, `untilMs` passed) or the emulator closes, then the
 *   connection is dropped; nothing is done. The client's timeout is what ends it.
 * - `drop`: the call is carried out, then the connection drops before the answer (the worst case for
 *   "exactly once": the caller cannot know it happened).
 * - `late`: the call is carried out and answered after `delayMs`.
 *
 * A fault applies to the next `times` matching calls (default: every one), and only until `untilMs` milliseconds
 * from now (emulator time) when given; whichever ends first. Faults are looked up in the order they were added;
 * the first that applies answers the call. Every faulted call is recorded like any other (status 0 when no
 * answer arrived).
 */

export type FaultKind =
  | { status: number }
  | { status: 'ratelimited'; retryAfterSeconds: number }
  | { status: 'error'; error: string }
  | { status: 'hang' }
  | { status: 'drop' }
  | { status: 'late'; delayMs: number };

export interface FaultOptions {
  /** How many matching calls fail; default: all of them while the fault lasts. */
  times?: number;
  /** For how long (ms from now, emulator time) the fault lasts; default: until `times` run out or `release()`. */
  untilMs?: number;
  /** Only the calls whose decoded params match. */
  match?: (params: Record<string, unknown>) => boolean;
}

export type FaultSpec = FaultKind & FaultOptions;

/** A fault in the table. */
export interface Fault {
  readonly method: string;
  readonly spec: FaultSpec;
  /** Calls this fault has answered so far. */
  readonly hits: number;
  /** Whether it still applies. */
  readonly active: boolean;
  /** Ends the fault now: later calls are answered normally, calls it holds (`hang`) are dropped. */
  release(): void;
}

/** What the Web API does with one call, once the faults have had their say. */
export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'answer'; status: number; body: Record<string, unknown>; headers?: Record<string, string> }
  /** Wait for `until`, then drop the connection; the call is not carried out. */
  | { kind: 'hang'; until: Promise<void> }
  /** Carry the call out, then drop the connection. */
  | { kind: 'drop' }
  /** Carry the call out, then answer after `delayMs`. */
  | { kind: 'late'; delayMs: number };

class TableEntry implements Fault {
  hits = 0;
  private released = false;
  private readonly waiting = new Set<() => void>();
  private readonly startedAt: number;

  constructor(
    readonly method: string,
    readonly spec: FaultSpec,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
  }

  get active(): boolean {
    if (this.released) return false;
    if (this.spec.times !== undefined && this.hits >= this.spec.times) return false;
    return this.spec.untilMs === undefined || this.now() - this.startedAt < this.spec.untilMs;
  }

  applies(method: string, params: Record<string, unknown>): boolean {
    return method === this.method && this.active && (!this.spec.match || this.spec.match(params));
  }

  /** Resolves when a held call should be let go: released, expired, or the emulator closing. */
  held(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.add(resolve);
      if (this.spec.untilMs !== undefined) {
        const left = this.startedAt + this.spec.untilMs - this.now();
        const timer = setTimeout(() => this.letGo(resolve), Math.max(0, left));
        timer.unref();
      }
    });
  }

  release(): void {
    this.released = true;
    for (const resolve of [...this.waiting]) this.letGo(resolve);
  }

  private letGo(resolve: () => void): void {
    this.waiting.delete(resolve);
    resolve();
  }
}

export class FaultTable {
  private readonly entries: TableEntry[] = [];

  constructor(private readonly now: () => number) {}

  add(method: string, spec: FaultSpec): Fault {
    const entry = new TableEntry(method, spec, this.now);
    this.entries.push(entry);
    return entry;
  }

  /** Ends every fault (and drops the calls held by `hang`). */
  clear(): void {
    for (const entry of this.entries.splice(0)) entry.release();
  }

  /** What to do with this call; counts it against the fault that answers it. */
  decide(method: string, params: Record<string, unknown>): FaultDecision {
    const entry = this.entries.find((e) => e.applies(method, params));
    if (!entry) return { kind: 'none' };
    entry.hits += 1;
    const spec = entry.spec;
    switch (spec.status) {
      case 'ratelimited':
        return {
          kind: 'answer',
          status: 429,
          body: { ok: false, error: 'ratelimited' },
          headers: { 'retry-after': String(spec.retryAfterSeconds) },
        };
      case 'error':
        return { kind: 'answer', status: 200, body: { ok: false, error: spec.error } };
      case 'hang':
        return { kind: 'hang', until: entry.held() };
      case 'drop':
        return { kind: 'drop' };
      case 'late':
        return { kind: 'late', delayMs: spec.delayMs };
      default:
        return { kind: 'answer', status: spec.status, body: { ok: false, error: 'internal_error' } };
    }
  }
}
