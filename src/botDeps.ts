import { type FetchFunction, WebClient } from '@slack/web-api';
import type { AppDeps } from './app/deps.js';
import { LiveMessage } from './app/liveMessage.js';
import { RunOwner } from './app/runOwner.js';
import { loadSnapshot } from './app/snapshot.js';
import { TimelineSpool } from './app/spool.js';
import { stepRunners } from './app/stepRunners.js';
import type { Clock } from './clock.js';
import type { SlackConnection } from './config/env.js';
import type { Config } from './config/schema.js';
import type { Coordinator } from './coord/coordinator.js';
import type { Metrics } from './http/metrics.js';
import type { Logger } from './log.js';
import { createPager } from './paging/index.js';
import { PlaybookCatalog } from './playbooks/catalog.js';
import type { Playbook } from './playbooks/schema.js';
import type { DueWorker } from './scheduler/worker.js';
import { type SlackSurface, boltLogger } from './slack/app.js';
import { SLACK_CALL_TIMEOUT_MS } from './slack/fetch.js';
import { SlackWebPort } from './slack/port.js';
import type { Database } from './store/db.js';
import { tallyTimeline } from './store/tally.js';
import { TokenManager } from './tokens/index.js';
import { presentProps } from './domain/defined.js';

/** What the use cases' dependencies are built from; bot.ts `BotParts` extends it with what serving needs. */
export interface DepsParts {
  config: Config;
  playbooks: readonly Playbook[];
  db: Database;
  coord: Coordinator;
  clock: Clock;
  log: Logger;
  /** The bot's Redis, for token sinks of kind redis that name no URL of their own. */
  redisUrl?: string;
  /** Where timeline events wait while PostgreSQL is unreachable (under DATA_DIR); memory only when unset. */
  spoolFile?: string;
}

/** The use cases' dependencies: Slack ports, tokens, the timeline spool, the run owner and the live message. */
export function buildDeps(
  parts: DepsParts,
  connection: Exclude<SlackConnection, { mode: 'none' }>,
  slack: SlackSurface,
  metrics: Metrics,
  worker: () => DueWorker | undefined,
  selfUrl: string,
  fetch: FetchFunction,
): AppDeps {
  const now = () => parts.clock.now().getTime();
  // Durable work asks Slack once and reschedules itself on a 429, instead of waiting inside a call.
  // No retries inside the client either: a retry must first look for the post in Slack (notify/deliver.ts).
  const slackApi = new WebClient(connection.botToken, {
    slackApiUrl: connection.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: SLACK_CALL_TIMEOUT_MS,
    // The limiter orders and bounds the calls: the client's own first-come queue (100 at a time by default) would
    // hold a page behind calls waiting in the limiter for a busy channel.
    maxRequestConcurrency: 1_000,
    fetch,
    logger: boltLogger(parts.log),
  });
  const tokens = new TokenManager({
    providers: parts.config.tokens,
    coord: parts.coord,
    clock: parts.clock,
    log: parts.log,
    metrics,
    ...presentProps({ redisUrl: parts.redisUrl }),
  });
  const runOwner = new RunOwner(parts.db, parts.clock, parts.log);
  // Its heartbeat runs before any request can start an action run.
  runOwner.start();
  // The use cases' database: every timeline event they commit is counted here, and nowhere else.
  const db = tallyTimeline(parts.db, (kind) => metrics.timelineEvents.inc({ kind }));
  const base = {
    db,
    coord: parts.coord,
    clock: parts.clock,
    config: parts.config,
    catalog: new PlaybookCatalog(parts.playbooks),
    slack: new SlackWebPort(slack.client, parts.log, { now }),
    slackApi,
    // Its Retry-Afters are kept in the injected clock's time, as the durable work that calls it is scheduled.
    slackOnce: new SlackWebPort(slackApi, parts.log, { now }),
    wake: wakeWorker(worker, parts.log),
    runWorkNow: (id: number) => worker()?.runNow(id) ?? Promise.resolve(),
    log: parts.log,
    metrics,
    tokens,
    // Twilio posts a call's key press to the bot's public URL (paging.public_url), else to the URL it listens on.
    pager: createPager(parts.config.paging, selfUrl, { now: () => parts.clock.now() }),
    stepRunners,
    spool: new TimelineSpool(db, parts.spoolFile, parts.log),
    runOwner,
  };
  const live = new LiveMessage({
    coord: parts.coord,
    // One try per render, a 429 thrown at once: a failed render is retried as durable work, with backoff.
    slack: new SlackWebPort(slackApi, parts.log, { now, maxRateLimitWaitMs: 0 }),
    log: parts.log,
    db,
    clock: parts.clock,
    snapshot: (id) => loadSnapshot(base, id),
  });
  return { ...base, live };
}

/** Asks the worker for one tick soon after new work is scheduled; many wakes in one turn make one tick. */
function wakeWorker(worker: () => DueWorker | undefined, log: Logger): () => void {
  let wakeQueued = false;
  return () => {
    if (wakeQueued || !worker()) return;
    wakeQueued = true;
    setImmediate(() => {
      wakeQueued = false;
      // tick() logs and survives its own failures (PostgreSQL away); this catch is the last word.
      worker()
        ?.tick()
        .catch((error: unknown) => log.error({ err: error }, 'due-work tick failed'));
    });
  };
}
