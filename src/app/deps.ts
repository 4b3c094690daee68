import type { WebClient } from '@slack/web-api';
import type { TokenManager } from '../tokens/index.js';
import type { TimelineSpool } from './spool.js';
import type { RunOwner } from './runOwner.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import type { Coordinator } from '../coord/coordinator.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../log.js';
import type { PlaybookCatalog } from '../playbooks/catalog.js';
import type { Database } from '../store/db.js';
import type { Incident } from '../domain/incident.js';
import type { Reply } from './replies.js';
import type { LiveMessage } from './liveMessage.js';
import type { SlackPort } from './ports.js';
import type { Pager } from '../paging/index.js';

/** What every use case may use. Built once in bot.ts. */
export interface AppDeps {
  db: Database;
  coord: Coordinator;
  clock: Clock;
  config: Config;
  catalog: PlaybookCatalog;
  slack: SlackPort;
  /**
   * The same port over the client that asks Slack once (no retries inside a call, a 429 thrown): durable work
   * (placing an incident) retries by rescheduling itself.
   */
  slackOnce: SlackPort;
  /**
   * The Web API client notify/ delivers through; it reports rate limits instead of waiting, so durable work is
   * rescheduled.
   */
  slackApi: WebClient;
  live: LiveMessage;
  /** Asks the due-work worker to look now (new work is due at once). */
  wake: () => void;
  /** Runs one scheduled item now in this process, if nobody holds it (placing a new incident); never throws. */
  runWorkNow: (id: number) => Promise<void>;
  log: Logger;
  metrics: Metrics;
  /** Timeline events about things already done outside the bot: written now, or kept and written later. */
  spool: TimelineSpool;
  /** This process as the owner of the action runs it executes (heartbeat; orphans found by the sweep). */
  runOwner: RunOwner;
  /** The paging channels beyond Slack (email, SMS, voice, webhook) and the incident mirrors (PagerDuty, Opsgenie). */
  pager: Pager;
  /** Keeps the configured OAuth tokens fresh (single flight across replicas). */
  tokens: TokenManager;
  /** The engines behind a step's own button, registered as they are configured. */
  stepRunners?: Partial<Record<'check' | 'token' | 'action', StepRunner>>;
}

export type StepRunner = (
  deps: AppDeps,
  incident: Incident,
  step: number,
  name: string,
  actor: Actor,
) => Promise<Reply>;

/** Who did it and which Slack request it came from (the request key makes a retry a no-op). */
export interface Actor {
  user: string;
  requestKey?: string;
  /** When the request reached the bot (acked work may wait its turn before it runs). */
  receivedAt?: Date;
}
