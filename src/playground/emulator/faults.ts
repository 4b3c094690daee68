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

interface Armed {
  fault: SlackFault;
  times: number;
  until?: number;
  match?: ParamsMatch;
}

/** The armed faults, per method; the first active one that matches a call is used (and counted). */
export class Faults {
  private readonly byMethod = new Map<string, Armed[]>();

  arm(method: string, fault: SlackFault, options: FaultOptions = {}): void {
    const unlimited = options.always === true || options.forMs !== undefined;
    const armed: Armed = {
      fault,
      times: unlimited ? Number.POSITIVE_INFINITY : (options.times ?? 1),
      ...(options.forMs !== undefined ? { until: Date.now() + options.forMs } : {}),
      ...(options.match ? { match: options.match } : {}),
    };
    this.byMethod.set(method, [...(this.byMethod.get(method) ?? []), armed]);
  }

  /** Disarms the faults of one method, or of every method. */
  clear(method?: string): void {
    if (method === undefined) this.byMethod.clear();
    else this.byMethod.delete(method);
  }

  /** The fault this call gets, if any; counts it. `kinds` limits which faults are looked at. */
  take(method: string, params: Record<string, unknown>, kinds: (fault: SlackFault) => boolean): SlackFault | undefined {
    const list = this.byMethod.get(method);
    if (!list) return undefined;
    const now = Date.now();
    for (const armed of list) {
      const active = armed.times > 0 && (armed.until === undefined || now < armed.until);
      if (!active || !kinds(armed.fault) || (armed.match && !armed.match(params))) continue;
      armed.times -= 1;
      return armed.fault;
    }
    return undefined;
  }
}

/** Faults answered instead of doing the call. */
export const refuses = (fault: SlackFault): boolean =>
  'error' in fault || 'status' in fault || 'ratelimited' in fault || 'hang' in fault;
