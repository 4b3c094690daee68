import { type ParamsMatch, type ReceivedBody } from './api.js';
import { EmulatorCore } from './core.js';
import { type Fault, type FaultOptions, type FaultSpec, type SlackFault, fromSpec } from './faults.js';
import type { WaitOptions } from './options.js';
import type { RateLimitChange, RateLimitTable } from './rateLimits.js';
import type { RecordedCall } from './state.js';
import { waitForCall } from './wait.js';

/** The emulator's Web API controls: what the bot called, Slack's rate limits, and the ways Slack fails. */
export abstract class WebApiControls extends EmulatorCore {
  get calls(): RecordedCall[] {
    return this.api.calls;
  }

  /** Every request body the bot sent (Web API, response_url, uploads), as sent: for secret scanning. */
  get received(): readonly ReceivedBody[] {
    return this.api.received;
  }

  callsTo(method: string): RecordedCall[] {
    return this.api.calls.filter((c) => c.method === method);
  }

  waitForCall(match: string | ((call: RecordedCall) => boolean), options: WaitOptions = {}): Promise<RecordedCall> {
    return waitForCall(this, () => this.api.calls, match, options);
  }

  /**
   * Slack's rate limits (rateLimits.ts): `true` for Slack's table, a change to it (on), `false` for none. Buckets
   * start full.
   */
  setRateLimits(limits: boolean | RateLimitChange): void {
    this.limits.set(limits);
  }

  /** The limits in force, or undefined when they are off. */
  get rateLimits(): RateLimitTable | undefined {
    return this.limits.enabled ? this.limits.limits : undefined;
  }

  rateLimit(method: string, options: { times?: number; retryAfterSeconds?: number; match?: ParamsMatch } = {}): void {
    this.api.rateLimit(method, options.times ?? 1, options.retryAfterSeconds ?? 1, options.match);
  }

  /**
   * The next matching calls take effect but their answers are lost (the connection drops): the worst case for
   * "exactly once".
   */
  loseResponses(method: string, options: { times?: number; match?: ParamsMatch } = {}): void {
    this.api.loseResponses(method, options.times ?? 1, options.match);
  }

  /**
   * Makes the next calls to a method fail the way Slack fails (faults.ts): a platform error by name
   * (`'internal_error'`), or `{ status: 500 }`, `{ ratelimited: seconds }`, `{ hang: true }`,
   * `{ dropAfterDoing: true }`, `{ delayMs }`; for `times` calls (a number, default 1), or
   * `{ times, forMs, always, match }`.
   */
  failNext(method: string, fault: string | SlackFault, options: number | FaultOptions = 1): Fault {
    return this.api.fail(
      method,
      typeof fault === 'string' ? { error: fault } : fault,
      typeof options === 'number' ? { times: options } : options,
    );
  }

  /** Slack recovers: the armed faults of a method (or of every method) are disarmed; calls they hold are dropped. */
  clearFaults(method?: string): void {
    this.api.clearFaults(method);
  }

  /**
   * Makes a Web API method fail: an HTTP status, `ratelimited` (429 + Retry-After), `error` (ok: false), `hang`
   * (no answer until the fault ends), `drop` (done, answer lost) or `late`, for `times` calls and/or `untilMs`
   * (see faults.ts). Answers the fault, which says how often it hit and can be ended early with `release()`.
   *
   * @example emulator.failMethod('chat.update', { status: 500, untilMs: 15_000 })
   * @example emulator.failMethod('chat.postMessage', { status: 'ratelimited', retryAfterSeconds: 30, times: 1 })
   */
  failMethod(method: string, spec: FaultSpec): Fault {
    const { fault, options } = fromSpec(spec);
    return this.api.fail(method, fault, options);
  }
}
