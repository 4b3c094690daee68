import { App, HTTPReceiver, LogLevel, type Logger as BoltLogger, SocketModeReceiver } from '@slack/bolt';
import type { FetchFunction, WebClient } from '@slack/web-api';
import type { AppDeps } from '../app/deps.js';
import type { SlackConnection } from '../config/env.js';
import type { Route } from '../http/server.js';
import { SLACK_BODY_LIMIT, guardSlackRequest } from '../http/slackRequests.js';
import type { Logger } from '../log.js';
import { type CommandRoutes, commandListener } from './commands.js';
import { InFlight } from './inflight.js';
import { SLACK_CALL_TIMEOUT_MS, slackFetch } from './fetch.js';
import {
  type ClickHandler,
  clickListener,
  onActionDecision,
  onActionRequest,
  onGateButton,
  onIncidentButton,
  onStepButton,
  onTimelinePage,
  resolveSubmitListener,
} from './interactions.js';
import { RESOLVE_MODAL } from './views/modals.js';
import { ACTION_FORM } from './views/actionForm.js';
import { actionFormSubmitListener } from './actionForm.js';

export interface SlackSurface {
  app: App;
  client: WebClient;
  /** HTTP mode: `POST /slack/events` on the bot's server. */
  routes: Route[];
  inflight: InFlight;
  /** Connects (Socket Mode) and checks the token with auth.test. */
  start(): Promise<void>;
  /** Whether Slack is reachable now: the Socket Mode socket is open, or (HTTP mode) the last auth.test passed. */
  connected(): boolean;
  /** Waits for work already acked, then disconnects. */
  stop(): Promise<void>;
}

export type SlackConnected = Exclude<SlackConnection, { mode: 'none' }>;

/**
 * Builds the Bolt app: HTTP receiver or Socket Mode, the Web API client
 * pointed at SLACK_API_URL. Listeners are added by `listen` once the use
 * cases' dependencies exist (they need this app's client).
 */
export function createSlackSurface(
  connection: SlackConnected,
  log: Logger,
  options: { authCheckMs?: number; fetch?: FetchFunction } = {},
): SlackSurface {
  const logger = boltLogger(log);
  const clientOptions = {
    slackApiUrl: connection.apiUrl,
    // A few retries cover a blip (a 5xx, a reset) without holding work for long. A 429 is thrown, not waited
    // out inside the client: @slack/web-api would pause its whole queue (every method, every incident) for
    // Retry-After. The Slack port keeps each limit per method and channel instead (slack/rateLimits.ts).
    retryConfig: { retries: 4, factor: 2, minTimeout: 250, maxTimeout: 5_000, randomize: true },
    rejectRateLimitedCalls: true,
    timeout: SLACK_CALL_TIMEOUT_MS,
    // The limiter orders and bounds the calls: the client's own first-come queue (100 at a time by default) would
    // hold a page behind calls waiting in the limiter for a busy channel.
    maxRequestConcurrency: 1_000,
    // The bot's paced fetch (every call behind the one Slack limiter), when given.
    fetch: options.fetch ?? slackFetch,
    logger,
  };
  const inflight = new InFlight();
  let socketOpen = false;
  let authOk = false;
  let authTimer: NodeJS.Timeout | undefined;
  let app: App;
  let routes: Route[] = [];
  if (connection.mode === 'http') {
    const receiver = new HTTPReceiver({
      signingSecret: connection.signingSecret,
      endpoints: '/slack/events',
      processBeforeResponse: false,
      logger,
      unhandledRequestTimeoutMillis: 2_900,
      // Also enforced (with a drained 413) by guardSlackRequest before Bolt reads the body.
      bodyLimit: SLACK_BODY_LIMIT,
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
    const guard = guardSlackRequest((req, res) => receiver.requestListener(req, res), log);
    routes = [{ method: 'POST', path: '/slack/events', handler: guard }];
  } else {
    // Built here rather than by App, to see its socket open and close (readiness).
    const receiver = new SocketModeReceiver({
      appToken: connection.appToken,
      logger,
      installerOptions: { clientOptions },
    });
    receiver.client.on('connected', () => {
      socketOpen = true;
    });
    for (const state of ['disconnected', 'reconnecting', 'connecting'])
      receiver.client.on(state, () => {
        socketOpen = false;
      });
    app = new App({
      token: connection.botToken,
      receiver,
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
      if (connection.mode === 'socket') {
        await app.start();
        return;
      }
      // HTTP mode has no connection to watch: auth.test at start (init) and every authCheckMs says Slack answers.
      authOk = true;
      const check = () => {
        app.client.auth.test().then(
          () => {
            if (!authOk) log.info('auth.test passes again: ready for Slack');
            authOk = true;
          },
          (error: unknown) => {
            if (authOk) log.warn({ err: error }, 'auth.test failed: not ready until Slack answers it');
            authOk = false;
          },
        );
      };
      authTimer = setInterval(check, options.authCheckMs ?? 30_000);
      authTimer.unref();
    },
    connected: () => (connection.mode === 'socket' ? socketOpen : authOk),
    async stop() {
      clearInterval(authTimer);
      await inflight.drain();
      if (connection.mode === 'socket') await app.stop();
    },
  };
}

/** The listeners: each parses, acks and calls one use case. */
export function addListeners(
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
  app.action(/^gate\.(check|go|nogo)\.\d+$/, clickListener(deps, inflight, onGateButton));
  app.action(/^action\.(approve|deny)\.\d+$/, clickListener(deps, inflight, onActionDecision));
  for (const [id, handler] of extra.clicks ?? []) app.action(id, clickListener(deps, inflight, handler));
  app.view(RESOLVE_MODAL, resolveSubmitListener(deps, inflight));
  app.view(ACTION_FORM, actionFormSubmitListener(deps, inflight));
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
