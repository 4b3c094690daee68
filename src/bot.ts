import type { Server } from 'node:http';
import type { AppDeps } from './app/deps.js';
import { sweepStaleLiveMessages } from './app/liveMessage.js';
import { type DepsParts, buildDeps } from './botDeps.js';
import type { RuntimeEnv, SlackConnection } from './config/env.js';
import { alertHookRoute } from './http/alertHook.js';
import { calendarRoute } from './http/calendar.js';
import { healthRoutes } from './http/health.js';
import { pagingHookRoutes } from './http/pagingHooks.js';
import { type Metrics, createMetrics, metricsRoute } from './http/metrics.js';
import { type Route, closeServer, createHttpServer, listen, sendJson } from './http/server.js';
import { type SlackSurface, addListeners, createSlackSurface } from './slack/app.js';
import { pacedSlackFetch } from './slack/fetch.js';
import { SlackLimiter } from './slack/limiter.js';
import type { PaceTable } from './slack/limits.js';
import { workHandlers } from './app/work/handlers.js';
import { planAllHandoffs } from './app/work/handoff.js';
import { checkScheduleMembers } from './app/oncall.js';
import { scheduledJobs } from './scheduler/jobs.js';
import { sweepInterruptedRuns } from './app/runOwner.js';
import { startCron } from './scheduler/cron.js';
import { DueWorker } from './scheduler/worker.js';
import { definedProps } from './domain/defined.js';

/** Everything the bot is built from. main.ts fills it from the environment; tests fill it themselves. */
export interface BotParts extends DepsParts {
  /** `slack` may depend on the bot's own URL (the playground serves the Slack emulator on the bot's port). */
  env: Pick<RuntimeEnv, 'PORT'> & { slack: SlackConnection | ((selfUrl: string) => SlackConnection) };
  /** Interface to listen on: 0.0.0.0 in production, 127.0.0.1 for the playground and tests. */
  host?: string;
  /** Extra routes on the same port (the playground). */
  routes?: Route[];
  /** false: no node-cron ticks; the caller drives `worker.tick()` (tests with a fake clock). */
  scheduler?: boolean;
  /** METRICS_PORT (then /metrics is served there only, on all interfaces unless `host` says otherwise) and METRICS_TOKEN. */
  metrics?: { port?: number; host?: string; token?: string };
  /** How often HTTP mode checks auth.test for /readyz (30 s). */
  slackCheckMs?: number;
  /**
   * The pace the bot keeps under Slack's limits (slack/limits.ts `SLACK_PACE`, which main.ts gives); unset: calls
   * go out unpaced (tests against an emulator whose limits are off).
   */
  slackPace?: PaceTable;
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

/** What the routes read while the bot starts and stops, filled in step by step. */
interface Running {
  /** false once stop() begins: /readyz says so while the work in hand finishes. */
  accepting: boolean;
  /** Slack is connected and the use cases are wired: requests are answered, not told "starting". */
  ready: boolean;
  /** Unset until the Slack connection is resolved (it may depend on the bot's own URL). */
  mode?: SlackConnection['mode'];
  slack?: SlackSurface;
  slackEvents?: Route['handler'];
  deps?: AppDeps;
  worker?: DueWorker;
  cron?: { stop(): Promise<void> };
  limiter?: SlackLimiter;
}

/** The bot's HTTP servers, listening. */
interface Serving {
  server: Server;
  port: number;
  url: string;
  metricsServer?: Server;
  metricsUrl: string;
}

/**
 * Starts the bot: the HTTP server first (its URL may be Slack's, in the playground), then Slack and the use cases
 * behind it, then the background work. Slack's requests get a 503 between listening and the token check, and
 * Slack retries them.
 */
export async function startBot(parts: BotParts): Promise<RunningBot> {
  const metrics = createMetrics();
  const running: Running = { accepting: true, ready: false };
  const serving = await serveHttp(parts, botRoutes(parts, metrics, running), metrics);
  try {
    const connection = typeof parts.env.slack === 'function' ? parts.env.slack(serving.url) : parts.env.slack;
    running.mode = connection.mode;
    if (connection.mode !== 'none') await connectSlack(parts, connection, metrics, running, serving.url);
  } catch (error) {
    await closeServers(serving, 1_000);
    throw error;
  }
  const { deps, slack, worker } = running;
  return {
    port: serving.port,
    url: serving.url,
    metrics,
    metricsUrl: serving.metricsUrl,
    server: serving.server,
    ...definedProps({ deps, slack, worker }),
    stop: () => stopAll(running, serving),
  };
}

/** Health, metrics (unless on their own port), the alert hook and Slack's events, answering as the bot starts. */
function botRoutes(parts: BotParts, metrics: Metrics, running: Running): Route[] {
  return [
    ...healthRoutes({
      db: parts.db,
      coord: parts.coord,
      accepting: () => running.accepting,
      // Starting, or the socket / auth.test is down: not ready. A bot without Slack has no such dependency.
      slack: () =>
        running.mode === 'none' ? undefined : running.ready && running.slack !== undefined && running.slack.connected(),
      log: parts.log,
    }),
    ...(parts.metrics?.port !== undefined ? [] : [metricsRoute(metrics, parts.metrics?.token)]),
    alertHookRoute(parts.config.alerts.token, () => (running.ready ? running.deps : undefined), parts.log),
    ...pagingHookRoutes(parts.config.paging, () => (running.ready ? running.deps : undefined), parts.log),
    calendarRoute(() => (running.ready ? running.deps : undefined)),
    {
      method: 'POST',
      path: '/slack/events',
      handler: (req, res, url) => {
        if (running.slackEvents) return running.slackEvents(req, res, url);
        // Socket Mode and the Slack-less bot take nothing over HTTP; HTTP mode is still starting.
        return running.mode === 'http' || running.mode === undefined
          ? sendJson(res, 503, { error: 'starting' })
          : sendJson(res, 404, { error: 'not_found' });
      },
    },
    ...(parts.routes ?? []),
  ];
}

/** Listens on PORT, and on METRICS_PORT when set; a metrics port that cannot be had closes the first server. */
async function serveHttp(parts: BotParts, routes: Route[], metrics: Metrics): Promise<Serving> {
  const server = createHttpServer(routes, parts.log);
  const host = parts.host ?? '0.0.0.0';
  const port = await listen(server, parts.env.PORT, host);
  const url = urlOf(host, port);
  if (parts.metrics?.port === undefined) return { server, port, url, metricsUrl: url };
  const metricsServer = createHttpServer([metricsRoute(metrics, parts.metrics.token)], parts.log);
  const metricsHost = parts.metrics.host ?? host;
  try {
    const bound = await listen(metricsServer, parts.metrics.port, metricsHost);
    return { server, port, url, metricsServer, metricsUrl: urlOf(metricsHost, bound) };
  } catch (error) {
    await closeServer(server, 1_000);
    throw error;
  }
}

const urlOf = (host: string, port: number) => `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;

/** Connects to Slack, wires the use cases and the due-work worker behind it, then starts the background work. */
async function connectSlack(
  parts: BotParts,
  connection: Exclude<SlackConnection, { mode: 'none' }>,
  metrics: Metrics,
  running: Running,
  selfUrl: string,
): Promise<void> {
  // One limiter in front of every Web API call of both clients, shared by the replicas through Redis.
  const limiter = parts.slackPace
    ? new SlackLimiter({ coord: parts.coord, log: parts.log, pace: parts.slackPace })
    : undefined;
  running.limiter = limiter;
  if (limiter) metrics.limiter.read = () => limiter.snapshot();
  const fetch = pacedSlackFetch(limiter, metrics);
  const slack = createSlackSurface(connection, parts.log, {
    ...(parts.slackCheckMs ? { authCheckMs: parts.slackCheckMs } : {}),
    fetch,
  });
  running.slack = slack;
  const deps = buildDeps(parts, connection, slack, metrics, () => running.worker, selfUrl, fetch);
  running.deps = deps;
  const worker = new DueWorker({
    db: parts.db,
    clock: parts.clock,
    log: parts.log,
    metrics,
    handlers: workHandlers(deps),
    // Paced, an item may wait in the limiter's queue for its channel or tier (a busy thread, Tier 3's renders) while
    // holding its place in hand: more places, so that those waiting cannot keep an escalation that needs no Slack
    // call from being claimed. An item waiting there holds no database connection (handlers call Slack outside
    // their transactions), only its lease, which the heartbeat renews.
    ...(limiter ? { batch: PACED_BATCH } : {}),
  });
  running.worker = worker;
  addListeners(slack, deps);
  await slack.start();
  running.slackEvents = slack.routes.find((r) => r.path === '/slack/events')?.handler;
  running.ready = true;
  await startWorkers(parts, deps, worker, running);
}

/**
 * What a start catches up on before the cron ticks begin (unless the caller drives the worker): runs a dead process
 * left running (found now, not minutes later), live messages a crash left behind their incident, each schedule's
 * next handoff (idempotent across replicas), and whether Slack knows each schedule's people. PostgreSQL (or Slack)
 * away must stop none of them, nor the start.
 */
const AT_START: ReadonlyArray<readonly [what: string, step: (deps: AppDeps) => Promise<unknown>]> = [
  ['look for interrupted action runs', sweepInterruptedRuns],
  ['look for stale live messages', sweepStaleLiveMessages],
  ['plan the on-call handoffs', planAllHandoffs],
  ["check the schedules' people with Slack", checkScheduleMembers],
];

async function startWorkers(parts: BotParts, deps: AppDeps, worker: DueWorker, running: Running): Promise<void> {
  for (const [what, step] of AT_START)
    await step(deps).catch((error: unknown) => parts.log.warn({ err: error }, `could not ${what} at start-up`));
  if (parts.scheduler !== false) running.cron = startCron(scheduledJobs(deps, worker), parts.log);
}

async function closeServers(serving: Serving, graceMs?: number): Promise<void> {
  await closeServer(serving.server, graceMs);
  if (serving.metricsServer) await closeServer(serving.metricsServer, 1_000);
}

/** Stops taking requests, then finishes what was acked: cron, Slack, the worker, renders, tokens, the spool. */
/** Items a paced replica's worker holds at once (25 unpaced: scheduler/worker.ts). */
const PACED_BATCH = 200;

async function stopAll(running: Running, serving: Serving): Promise<void> {
  let step = 'closing the servers';
  const { deps } = running;
  // A stop that takes long says what it waits for (an orchestrator's grace period may end it there).
  const slow = setInterval(() => {
    deps?.log.warn({ step, inHand: running.worker?.heldKinds() }, 'still stopping');
  }, 10_000);
  slow.unref();
  try {
    running.accepting = false;
    await closeServers(serving);
    step = 'stopping cron and Slack';
    await running.cron?.stop();
    await running.slack?.stop();
    // Calls still waiting for Slack's budget are turned away (their work goes back to the queue): a stop must not
    // wait out minutes of Slack's pace.
    running.limiter?.close();
    step = 'finishing the work in hand';
    await running.worker?.stop();
    step = 'finishing the live message renders';
    await deps?.live.idle();
    step = 'closing tokens and the spool';
    await deps?.tokens.close();
    await deps?.spool.flush();
    deps?.spool.stop();
    deps?.runOwner.stop();
  } finally {
    clearInterval(slow);
  }
}
