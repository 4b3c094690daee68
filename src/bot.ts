import type { Server } from 'node:http';
import type { AppDeps } from './app/deps.js';
import { LiveMessage } from './app/liveMessage.js';
import { loadSnapshot } from './app/snapshot.js';
import type { Clock } from './clock.js';
import type { RuntimeEnv, SlackConnection } from './config/env.js';
import type { Config } from './config/schema.js';
import type { Coordinator } from './coord/coordinator.js';
import { alertHookRoute } from './http/alertHook.js';
import { healthRoutes } from './http/health.js';
import { type Metrics, createMetrics, metricsRoute } from './http/metrics.js';
import { type Route, closeServer, createHttpServer, listen, sendJson } from './http/server.js';
import type { Logger } from './log.js';
import { PlaybookCatalog } from './playbooks/catalog.js';
import type { Playbook } from './playbooks/schema.js';
import { type SlackSurface, boltLogger, createSlackSurface, listen as listenToSlack } from './slack/app.js';
import { slackFetch } from './slack/fetch.js';
import { SlackWebPort } from './slack/port.js';
import type { Database } from './store/db.js';
import { WebClient } from '@slack/web-api';
import { workHandlers } from './app/work/handlers.js';
import { scheduledJobs } from './scheduler/jobs.js';
import { TokenManager } from './tokens/index.js';
import { stepRunners } from './app/stepRunners.js';
import { TimelineSpool } from './app/spool.js';
import { RunOwner, sweepInterruptedRuns } from './app/runOwner.js';
import { startCron } from './scheduler/cron.js';
import { DueWorker } from './scheduler/worker.js';

/** Everything the bot is built from. main.ts fills it from the environment; tests fill it themselves. */
export interface BotParts {
  /** `slack` may depend on the bot's own URL (the playground serves the Slack emulator on the bot's port). */
  env: Pick<RuntimeEnv, 'PORT'> & { slack: SlackConnection | ((selfUrl: string) => SlackConnection) };
  config: Config;
  playbooks: readonly Playbook[];
  db: Database;
  coord: Coordinator;
  clock: Clock;
  log: Logger;
  /** Interface to listen on: 0.0.0.0 in production, 127.0.0.1 for the playground and tests. */
  host?: string;
  /** Extra routes on the same port (the playground). */
  routes?: Route[];
  /** false: no node-cron ticks; the caller drives `worker.tick()` (tests with a fake clock). */
  scheduler?: boolean;
  /** The bot's Redis, for token sinks of kind redis that name no URL of their own. */
  redisUrl?: string;
  /** Where timeline events wait while PostgreSQL is unreachable (under DATA_DIR); memory only when unset. */
  spoolFile?: string;
  /** METRICS_PORT (then /metrics is served there only, on all interfaces unless `host` says otherwise) and METRICS_TOKEN. */
  metrics?: { port?: number; host?: string; token?: string };
  /** How often HTTP mode checks auth.test for /readyz (30 s). */
  slackCheckMs?: number;
}

export interface RunningBot {
  port: number;
  url: string;
  metrics: Metrics;
  /** Where /metrics is served: `url`, or the METRICS_PORT server's. */
  metricsUrl: string;
  server: Server;
  deps?: AppDeps;
  slack?: SlackSurface;
  /** Drains due work (escalations, pages, notifications, deadlines); node-cron calls it every second. */
  worker?: DueWorker;
  /** Stops taking requests, finishes the work already acked; the caller closes the pools it opened. */
  stop(): Promise<void>;
}

export async function startBot(parts: BotParts): Promise<RunningBot> {
  const metrics = createMetrics();
  const catalog = new PlaybookCatalog(parts.playbooks);
  let accepting = true;
  let slack: SlackSurface | undefined;
  let deps: AppDeps | undefined;
  let worker: DueWorker | undefined;
  let cron: { stop(): Promise<void> } | undefined;
  // The server listens first (its URL may be Slack's, in the playground); Slack's requests get a 503
  // for the moment between listening and the token check, and Slack retries them.
  const metricsOwnPort = parts.metrics?.port !== undefined;
  const routes: Route[] = [
    ...healthRoutes({
      db: parts.db,
      coord: parts.coord,
      accepting: () => accepting,
      // Starting, or the socket / auth.test is down: not ready. A bot without Slack has no such dependency.
      slack: () => (resolved.mode === 'none' ? undefined : ready && slack !== undefined && slack.connected()),
      log: parts.log,
    }),
    ...(metricsOwnPort ? [] : [metricsRoute(metrics, parts.metrics?.token)]),
    alertHookRoute(parts.config.alerts.token, () => (ready ? deps : undefined), parts.log),
    {
      method: 'POST',
      path: '/slack/events',
      handler: (req, res, url) => {
        if (slackEvents) return slackEvents(req, res, url);
        // Socket Mode and the Slack-less bot take nothing over HTTP; HTTP mode is still starting.
        return resolved.mode === 'http' || resolved.mode === undefined
          ? sendJson(res, 503, { error: 'starting' })
          : sendJson(res, 404, { error: 'not_found' });
      },
    },
    ...(parts.routes ?? []),
  ];
  let ready = false;
  const resolved: { mode?: SlackConnection['mode'] } = {};
  let slackEvents: Route['handler'] | undefined;
  const server = createHttpServer(routes, parts.log);
  const host = parts.host ?? '0.0.0.0';
  const port = await listen(server, parts.env.PORT, host);
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  let metricsServer: Server | undefined;
  let metricsUrl = url;
  if (parts.metrics?.port !== undefined) {
    metricsServer = createHttpServer([metricsRoute(metrics, parts.metrics.token)], parts.log);
    const metricsHost = parts.metrics.host ?? host;
    try {
      const bound = await listen(metricsServer, parts.metrics.port, metricsHost);
      metricsUrl = `http://${metricsHost === '0.0.0.0' ? '127.0.0.1' : metricsHost}:${bound}`;
    } catch (error) {
      await closeServer(server, 1_000);
      throw error;
    }
  }
  const connection = typeof parts.env.slack === 'function' ? parts.env.slack(url) : parts.env.slack;
  resolved.mode = connection.mode;
  try {
    if (connection.mode !== 'none') {
      slack = createSlackSurface(connection, parts.log, {
        ...(parts.slackCheckMs ? { authCheckMs: parts.slackCheckMs } : {}),
      });
      const now = () => parts.clock.now().getTime();
      const port = new SlackWebPort(slack.client, parts.log, { now });
      // Durable work asks Slack once and reschedules itself on a 429, instead of waiting inside a call.
      // No retries inside the client either: a retry must first look for the post in Slack (notify/deliver.ts).
      const slackApi = new WebClient(connection.botToken, {
        slackApiUrl: connection.apiUrl,
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 0 },
        timeout: 10_000,
        fetch: slackFetch,
        logger: boltLogger(parts.log),
      });
      let wakeQueued = false;
      const wake = () => {
        if (wakeQueued || !worker) return;
        wakeQueued = true;
        setImmediate(() => {
          wakeQueued = false;
          // tick() logs and survives its own failures (PostgreSQL away); this catch is the last word.
          worker?.tick().catch((error: unknown) => parts.log.error({ err: error }, 'due-work tick failed'));
        });
      };
      const tokens = new TokenManager({
        providers: parts.config.tokens,
        coord: parts.coord,
        clock: parts.clock,
        log: parts.log,
        metrics,
        ...(parts.redisUrl ? { redisUrl: parts.redisUrl } : {}),
      });
      const spool = new TimelineSpool(parts.db, parts.spoolFile, parts.log);
      const runOwner = new RunOwner(parts.db, parts.clock, parts.log);
      runOwner.start();
      const base = {
        db: parts.db,
        coord: parts.coord,
        clock: parts.clock,
        config: parts.config,
        catalog,
        slack: port,
        slackApi,
        slackOnce: new SlackWebPort(slackApi, parts.log),
        wake,
        runWorkNow: (id: number) => worker?.runNow(id) ?? Promise.resolve(),
        log: parts.log,
        metrics,
        tokens,
        stepRunners,
        spool,
        runOwner,
      };
      const live = new LiveMessage({
        coord: parts.coord,
        // One try per render, a 429 thrown at once: a failed render is retried as durable work, with backoff.
        slack: new SlackWebPort(slackApi, parts.log, { now, maxRateLimitWaitMs: 0 }),
        log: parts.log,
        db: parts.db,
        clock: parts.clock,
        snapshot: (id) => loadSnapshot(base, id),
      });
      const appDeps: AppDeps = { ...base, live };
      deps = appDeps;
      worker = new DueWorker({
        db: parts.db,
        clock: parts.clock,
        log: parts.log,
        metrics,
        handlers: workHandlers(appDeps),
      });
      listenToSlack(slack, appDeps);
      await slack.start();
      slackEvents = slack.routes.find((r) => r.path === '/slack/events')?.handler;
      ready = true;
      // Runs a dead process left running are found now, not minutes later; PostgreSQL away must not stop the start.
      await sweepInterruptedRuns(appDeps).catch((error: unknown) =>
        parts.log.warn({ err: error }, 'could not look for interrupted action runs at start-up'),
      );
      if (parts.scheduler !== false) cron = startCron(scheduledJobs(appDeps, worker), parts.log);
    }
  } catch (error) {
    await closeServer(server, 1_000);
    if (metricsServer) await closeServer(metricsServer, 1_000);
    throw error;
  }
  return {
    port,
    url,
    metrics,
    metricsUrl,
    server,
    ...(deps ? { deps } : {}),
    ...(slack ? { slack } : {}),
    ...(worker ? { worker } : {}),
    async stop() {
      accepting = false;
      await closeServer(server);
      if (metricsServer) await closeServer(metricsServer, 1_000);
      await cron?.stop();
      await slack?.stop();
      await worker?.stop();
      await deps?.live.idle();
      await deps?.tokens.close();
      await deps?.spool.flush();
      deps?.spool.stop();
      deps?.runOwner.stop();
    },
  };
}
