import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { type Route, sendJson } from './server.js';

/** What the Slack limiter has waiting, read when /metrics is scraped (slack/limiter.ts). */
export interface LimiterReading {
  queued: Array<{ method: string; priority: string; count: number }>;
  oldestPageS: number;
}

/** The bot's Prometheus metrics, one registry per bot so tests can run several. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'incidentbot_' });
  const limiter: { read?: () => LimiterReading } = {};
  return {
    registry,
    /** Set once the Slack limiter exists. */
    limiter,
    slackLimiterQueued: new Gauge({
      name: 'incidentbot_slack_limiter_queued',
      help: 'Web API calls waiting in the Slack limiter for their budget, by method and priority',
      labelNames: ['method', 'priority'],
      registers: [registry],
      collect() {
        this.reset();
        for (const q of limiter.read?.().queued ?? []) this.set({ method: q.method, priority: q.priority }, q.count);
      },
    }),
    slackOldestPage: new Gauge({
      name: 'incidentbot_slack_oldest_unsent_page_seconds',
      help: 'How long the oldest page (or answer to a person) has waited in the Slack limiter; 0 when none waits',
      registers: [registry],
      collect() {
        this.set(limiter.read?.().oldestPageS ?? 0);
      },
    }),
    slackLimiterWait: new Histogram({
      name: 'incidentbot_slack_limiter_wait_seconds',
      help: 'Time a Web API call waited in the Slack limiter before it was sent, by method and priority',
      labelNames: ['method', 'priority'],
      buckets: [0.001, 0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    slackRequests: new Counter({
      name: 'incidentbot_slack_requests_total',
      help: 'Slack requests handled, by type and outcome',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    }),
    ackSeconds: new Histogram({
      name: 'incidentbot_ack_seconds',
      help: 'Time from receiving a Slack request to acknowledging it',
      labelNames: ['type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3],
      registers: [registry],
    }),
    timelineEvents: new Counter({
      name: 'incidentbot_timeline_events_total',
      help: 'Timeline events written, by kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
    checkResults: new Counter({
      name: 'incidentbot_check_results_total',
      help: 'Health check results, by check and status',
      labelNames: ['check', 'status'],
      registers: [registry],
    }),
    tokenCache: new Counter({
      name: 'incidentbot_token_cache_total',
      help: 'Token cache lookups, by provider and result (hit or miss)',
      labelNames: ['provider', 'result'],
      registers: [registry],
    }),
    tokenRefreshes: new Counter({
      name: 'incidentbot_token_refreshes_total',
      help: 'Token refreshes, by provider and outcome',
      labelNames: ['provider', 'outcome'],
      registers: [registry],
    }),
    scheduledWork: new Counter({
      name: 'incidentbot_scheduled_work_total',
      help: 'Scheduled work items fired, by kind and outcome',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    slackCalls: new Counter({
      name: 'incidentbot_slack_api_calls_total',
      help: 'Slack Web API calls, by method and outcome (the HTTP status; ratelimited for a 429)',
      labelNames: ['method', 'outcome'],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** `GET /metrics`; with a token, only for `Authorization: Bearer <token>` (401 otherwise). */
export function metricsRoute(metrics: Metrics, token?: string): Route {
  return {
    method: 'GET',
    path: '/metrics',
    handler: async (req, res) => {
      if (token !== undefined && !bearerMatches(req, token)) {
        res.setHeader('www-authenticate', 'Bearer');
        return sendJson(res, 401, { error: 'unauthorized', message: 'send Authorization: Bearer <METRICS_TOKEN>' });
      }
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(text);
    },
  };
}

/** Compares in constant time, so the answer's timing says nothing about how much of the token was right. */
export function bearerMatches(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
