/**
 * What the orchestrator asks of the load generator (bench/load.ts) and what
 * it answers. Requests are prepared from the Slack emulator's own payloads
 * (see requests.ts); the generator only fills in what Slack makes fresh for
 * every request and signs the body at send time.
 */

/** Placeholders in a prepared form body; plain letters, so form encoding leaves them as they are. */
export const TRIGGER_ID = 'XXBENCHTRIGGERXX';
export const ACTION_TS = 'XXBENCHACTIONTSXX';
export const RESPONSE_URL = 'XXBENCHRESPONSEURLXX';

export interface PreparedRequest {
  /** A form body (`application/x-www-form-urlencoded`) with the placeholders above. */
  body: string;
  /** The response URL the emulator issued when the request was prepared: used when no fresh one is given. */
  responseUrl: string;
  /** How many times more often than a weight-1 request it is sent. */
  weight?: number;
}

export interface LoadSetup {
  /** The app's Request URL (`…/slack/events`). */
  url: string;
  signingSecret: string;
  requests: PreparedRequest[];
  /**
   * At most this many requests in flight; the rest wait, and their wait counts (latency is from the scheduled
   * time).
   */
  maxInFlight: number;
}

export interface LoadRun {
  /** Requests per second, open loop: they leave on schedule whatever the answers do. */
  rate: number;
  /** Sent, but not measured. */
  warmupMs: number;
  durationMs: number;
  /** After the last scheduled send, how long to wait for answers before counting the rest unfinished. */
  drainMs: number;
  /** Fresh response URLs for each prepared request, by its index: each is used once (cyclically if short). */
  responseUrls?: string[][];
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export interface LoadResult {
  rate: number;
  /** Measured (after warm-up) requests: scheduled, answered 2xx, answered otherwise, never answered in time. */
  scheduled: number;
  ok: number;
  failed: number;
  unfinished: number;
  /** Measured requests by HTTP status, or by error code when no answer came (ECONNRESET…). */
  statuses: Record<string, number>;
  /** Milliseconds from the scheduled send time to the complete answer. */
  latency: LatencySummary;
  /**
   * How late the generator itself sent requests it was free to send (its timer, not the app): the floor of
   * `latency`.
   */
  sendLagP99Ms: number;
  /** Measured requests answered per second of the measured window. */
  achievedRate: number;
}
