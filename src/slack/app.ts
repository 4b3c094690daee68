import { App, HTTPReceiver, LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../app/deps.js';
import type { SlackConnection } from '../config/env.js';
import type { Route } from '../http/server.js';
import type { Logger } from '../log.js';
import { type CommandRoutes, commandListener } from './commands.js';
import { InFlight } from './inflight.js';
import { slackFetch } from './fetch.js';
import {
  type ClickHandler,
  clickListener,
  onActionDecision,
  onActionRequest,
  onIncidentButton,
  onStepButton,
  onTimelinePage,
  resolveSubmitListener,
} from './interactions.js';
import { RESOLVE_MODAL } from './views/modals.js';

export interface SlackSurface {
  app: App;
  client: WebClient;
  /** HTTP mode: `POST /slack/events` on the bot's server. */
  routes: Route[];
  inflight: InFlight;
  /** Connects (Socket Mode) and checks the token with auth.test. */
  start(): Promise<void>;
  /** Waits for work already acked, then disconnects. */
  stop(): Promise<void>;
}

export type SlackConnected = Exclude<SlackConnection, { mode: 'none' }>;

/**
 * Builds the Bolt app: HTTP receiver or Socket Mode, the Web API client
 * pointed at SLACK_API_URL. Listeners are added by `listen` once the use
 * cases' dependencies exist (they need this app's client).
 */
export function createSlackSurface(connection: SlackConnected, log: Logger): SlackSurface {
  const logger = boltLogger(log);
  const clientOptions = {
    slackApiUrl: connection.apiUrl,
    // A few retries cover a blip (a 5xx, a reset) without holding work for long. A 429 is thrown, not waited
    // out inside the client: @slack/web-api would pause its whole queue (every method, every incident) for
    // Retry-After. The Slack port keeps each limit per method and channel instead (slack/rateLimits.ts).
    retryConfig: { retries: 4, factor: 2, minTimeout: 250, maxTimeout: 5_000, randomize: true },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    fetch: slackFetch,
    logger,
  };
  const inflight = new InFlight();
  let app: App;
  let routes: Route[] = [];
  if (connection.mode === 'http') {
    const receiver = new HTTPReceiver({
      signingSecret: connection.signingSecret,
      endpoints: '/slack/events',
      processBeforeResponse: false,
      logger,
      unhandledRequestTimeoutMillis: 2_900,
    });
    // convoStore: false — nothing here reads Bolt's conversation store, and it costs CPU on every request.
    app = new App({
      token: connection.botToken,
      receiver,
      clientOptions,
      logger,
      deferInitialization: true,
      convoStore: false,
    });
    routes = [{ method: 'POST', path: '/slack/events', handler: (req, res) => receiver.requestListener(req, res) }];
  } else {
    app = new App({
      token: connection.botToken,
      appToken: connection.appToken,
      socketMode: true,
      clientOptions,
      logger,
      deferInitialization: true,
      convoStore: false,
    });
  }
  return {
    app,
    client: app.client,
    routes,
    inflight,
    async start() {
      await app.init();
      if (connection.mode === 'socket') await app.start();
    },
    async stop() {
      await inflight.drain();
      if (connection.mode === 'socket') await app.stop();
    },
  };
}

/** The listeners: each parses, acks and calls one use case. */
export function listen(
  surface: SlackSurface,
  deps: AppDeps,
  extra: { commands?: CommandRoutes; clicks?: Array<[RegExp | string, ClickHandler]> } = {},
): void {
  const { app, inflight } = surface;
  app.command(/^\/.+/, commandListener(deps, inflight, extra.commands));
  app.action(/^step\.(done|skip|run)\.\d+$/, clickListener(deps, inflight, onStepButton));
  app.action(
    /^incident\.(ack|escalate|mitigate|resolve|timeline|report)$/,
    clickListener(deps, inflight, onIncidentButton),
  );
  app.action(/^timeline\.page\.(earlier|later)$/, clickListener(deps, inflight, onTimelinePage));
  app.action(/^action\.request\.[a-z0-9_-]+$/, clickListener(deps, inflight, onActionRequest));
  app.action(/^action\.(approve|deny)\.\d+$/, clickListener(deps, inflight, onActionDecision));
  for (const [id, handler] of extra.clicks ?? []) app.action(id, clickListener(deps, inflight, handler));
  app.view(RESOLVE_MODAL, resolveSubmitListener(deps, inflight));
  app.error(async (error) => {
    deps.log.error({ err: error }, 'unhandled error in a Slack listener');
  });
}

export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  return {
    debug: (...msg) => child.debug(msg.map(String).join(' ')),
    info: (...msg) => child.info(msg.map(String).join(' ')),
    warn: (...msg) => child.warn(msg.map(String).join(' ')),
    error: (...msg) => child.error(msg.map(String).join(' ')),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
