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

export interface WaitOptions {
  timeoutMs?: number;
  /** Index into `calls` to start looking from; default 0 (earlier calls count). */
  since?: number;
}
