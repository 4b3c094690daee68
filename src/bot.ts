import type { Server } from 'node:http';
import type { Clock } from './clock.js';
import type { RuntimeEnv } from './config/env.js';
import type { Config } from './config/schema.js';
import type { Coordinator } from './coord/coordinator.js';
import { healthRoutes } from './http/health.js';
import { createMetrics, metricsRoute, type Metrics } from './http/metrics.js';
import { type Route, closeServer, createHttpServer, listen } from './http/server.js';
import type { Logger } from './log.js';
import { PlaybookCatalog } from './playbooks/catalog.js';
import type { Playbook } from './playbooks/schema.js';
import type { Database } from './store/db.js';

/** Everything the bot is built from. main.ts fills it from the environment; tests fill it themselves. */
export interface BotParts {
  env: RuntimeEnv;
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
}

export interface RunningBot {
  port: number;
  url: string;
  metrics: Metrics;
  server: Server;
  /** Stops taking requests, finishes in-flight work; the caller closes the pools it opened. */
  stop(): Promise<void>;
}

export async function startBot(parts: BotParts): Promise<RunningBot> {
  const metrics = createMetrics();
  const catalog = new PlaybookCatalog(parts.playbooks);
  let accepting = true;
  const routes: Route[] = [
    ...healthRoutes({ db: parts.db, coord: parts.coord, accepting: () => accepting }),
    metricsRoute(metrics),
    ...(parts.routes ?? []),
  ];
  void catalog;
  const server = createHttpServer(routes, parts.log);
  const host = parts.host ?? '0.0.0.0';
  const port = await listen(server, parts.env.PORT, host);
  return {
    port,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    metrics,
    server,
    async stop() {
      accepting = false;
      await closeServer(server);
    },
  };
}
