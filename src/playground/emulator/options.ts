import type { Logger } from '../../log.js';
import type { RateLimitChange } from './rateLimits.js';

export interface EmulatorOptions {
  /** The accepted bearer token; default 'xoxb-playground-token'. */
  botToken?: string;
  /** The app-level token apps.connections.open accepts (Socket Mode); default 'xapp-playground-token'. */
  appToken?: string;
  /** How often Socket Mode connections are pinged; default 10 s, 0 for never. */
  socketPingIntervalMs?: number;
  /** Signs the requests sent to the bot; default 32 random hex characters. */
  signingSecret?: string;
  /** When set, the workspace persists as JSON under it and is reloaded on start. */
  dataDir?: string;
  /** Default true: the seeded workspace (see seed.ts). */
  seed?: boolean;
  /** Clock for ts values, trigger and response_url expiry; default real time. */
  now?: () => Date;
  /** Where emulator bugs are logged (default: nowhere). */
  log?: Logger;
  /** Slack's rate limits (rateLimits.ts): true for Slack's table, or a change to it; default off. */
  rateLimits?: boolean | RateLimitChange;
}

export interface StartOptions extends EmulatorOptions {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

/**
 * How long waitFor / waitForCall wait by default. A ceiling, not a pause: a wait ends as soon as its condition
 * holds, so a generous one costs nothing when things work, and keeps a busy 2-core CI machine (the whole suite
 * side by side) from failing a test that was merely slow.
 */
export const DEFAULT_WAIT_MS = 15_000;

export interface WaitOptions {
  /** Default DEFAULT_WAIT_MS. */
  timeoutMs?: number;
  /** Index into `calls` to start looking from; default 0 (earlier calls count). */
  since?: number;
}
