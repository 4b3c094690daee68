import { definedProps } from '../../domain/defined.js';

/**
 * Faults the emulated Web API can be told to have, per method: the way Slack
 * fails in production, on command, so a test can say what the bot does then.
 *
 * - `{ error: 'internal_error' }`: HTTP 200, `ok: false` with that error; nothing is done.
 * - `{ status: 500 }`: that HTTP status (5xx: Slack is down); nothing is done.
 * - `{ ratelimited: seconds }`: HTTP 429 with Retry-After; nothing is done.
 * - `{ hang: true }`: nothing is done and no answer ever comes (the client times out).
 * - `{ dropAfterDoing: true }`: the call takes effect, then the connection drops: the answer is lost.
 * - `{ hangAfterDoing: true }`: the call takes effect and no answer ever comes (a process killed while it waits).
 * - `{ delayMs }`: the call takes effect and is answered that much later.
 *
 * A fault applies to the next `times` matching calls (default 1), or to every
 * matching call for `forMs` of real time, or until `clearFaults`.
 */
export type SlackFault =
  | { error: string }
  | { status: number }
  | { ratelimited: number }
  | { hang: true }
  | { dropAfterDoing: true }
  | { hangAfterDoing: true }
  | { delayMs: number };

/** Picks which calls of a method a fault applies to, by their parameters. */
export type ParamsMatch = (params: Record<string, unknown>) => boolean;

export interface FaultOptions {
  /** How many matching calls fail (default 1; unlimited with `forMs` or `always`). */
  times?: number;
  /** Every matching call fails for this many milliseconds of real time from now. */
  forMs?: number;
  /** Every matching call fails until `clearFaults`. */
  always?: boolean;
  match?: ParamsMatch;
}

/** An armed fault, as a test holds it: how often it answered, whether it still does, and a way to end it. */
export interface Fault {
  /** Calls this fault has answered so far. */
  readonly hits: number;
  /** Whether it still applies. */
  readonly active: boolean;
  /** Ends the fault now: later calls are answered normally, calls it holds (`hang`) are dropped. */
  release(): void;
}

export class Armed implements Fault {
  hits = 0;
  private released = false;
  private readonly onRelease = new Set<() => void>();

  constructor(
    readonly fault: SlackFault,
    private times: number,
    private readonly until: number | undefined,
    readonly match: ParamsMatch | undefined,
  ) {}

  get active(): boolean {
    return !this.released && this.times > 0 && (this.until === undefined || Date.now() < this.until);
  }

  /** Counts one call against this fault. */
  use(): void {
    this.times -= 1;
    this.hits += 1;
  }

  /** Runs `end` when the fault is released (a held call's connection is dropped then). */
  whenReleased(end: () => void): () => void {
    if (this.released) end();
    else this.onRelease.add(end);
    return () => this.onRelease.delete(end);
  }

  release(): void {
    this.released = true;
    for (const end of [...this.onRelease]) end();
    this.onRelease.clear();
  }
}

/** The armed faults, per method; the first active one that matches a call is used (and counted). */
export class Faults {
  private readonly byMethod = new Map<string, Armed[]>();

  arm(method: string, fault: SlackFault, options: FaultOptions = {}): Fault {
    const unlimited = options.always === true || options.forMs !== undefined;
    const armed = new Armed(
      fault,
      options.times ?? (unlimited ? Number.POSITIVE_INFINITY : 1),
      options.forMs !== undefined ? Date.now() + options.forMs : undefined,
      options.match,
    );
    this.byMethod.set(method, [...(this.byMethod.get(method) ?? []), armed]);
    return armed;
  }

  /** Disarms the faults of one method, or of every method; calls they hold are dropped. */
  clear(method?: string): void {
    const ended = method === undefined ? [...this.byMethod.values()].flat() : (this.byMethod.get(method) ?? []);
    if (method === undefined) this.byMethod.clear();
    else this.byMethod.delete(method);
    for (const armed of ended) armed.release();
  }

  /** The fault this call gets, if any; counts it. `kinds` limits which faults are looked at. */
  take(method: string, params: Record<string, unknown>, kinds: (fault: SlackFault) => boolean): Armed | undefined {
    for (const armed of this.byMethod.get(method) ?? []) {
      if (!armed.active || !kinds(armed.fault) || (armed.match && !armed.match(params))) continue;
      armed.use();
      return armed;
    }
    return undefined;
  }
}

/**
 * The same faults as a spec (`failMethod`): `status` is an HTTP status, or `'ratelimited'` (with
 * `retryAfterSeconds`), `'error'` (with `error`), `'hang'`, `'drop'` (done, answer lost) or `'late'` (with
 * `delayMs`); `times` calls (default: every call while it lasts), `untilMs` from now, `match` on the params.
 */
export type FaultSpec = (
  | { status: number }
  | { status: 'ratelimited'; retryAfterSeconds: number }
  | { status: 'error'; error: string }
  | { status: 'hang' }
  | { status: 'drop' }
  | { status: 'late'; delayMs: number }
) & { times?: number; untilMs?: number; match?: ParamsMatch };

/** A spec as the fault and options `arm` takes. */
export function fromSpec(spec: FaultSpec): { fault: SlackFault; options: FaultOptions } {
  const fault: SlackFault =
    spec.status === 'ratelimited'
      ? { ratelimited: spec.retryAfterSeconds }
      : spec.status === 'error'
        ? { error: spec.error }
        : spec.status === 'hang'
          ? { hang: true }
          : spec.status === 'drop'
            ? { dropAfterDoing: true }
            : spec.status === 'late'
              ? { delayMs: spec.delayMs }
              : { status: spec.status };
  const options: FaultOptions = {
    ...(spec.times !== undefined ? { times: spec.times } : spec.untilMs === undefined ? { always: true } : {}),
    ...definedProps({ forMs: spec.untilMs, match: spec.match }),
  };
  return { fault, options };
}

/** Faults answered instead of doing the call. */
export const refuses = (fault: SlackFault): boolean =>
  'error' in fault || 'status' in fault || 'ratelimited' in fault || 'hang' in fault;
