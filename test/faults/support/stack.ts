import { RedisCoordinator } from '../../../src/coord/redis.js';
import { silentLogger } from '../../../src/log.js';
import { connectPostgres } from '../../../src/store/pg.js';
import { DATABASE_URL, REDIS_URL } from '../../support/env.js';
import { type Harness, type HarnessOptions, startHarness } from '../../support/harness.js';
import { TcpProxy } from './proxy.js';

export interface FaultHarness extends Harness {
  /** The bot's PostgreSQL: cut() and restore() it. The test's own `db` is direct and always answers. */
  pg: TcpProxy;
  /** The bot's Redis, likewise. */
  redis: TcpProxy;
}

/** `url` with its host and port replaced by the proxy's. */
function through(url: string, proxy: TcpProxy): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(proxy.port);
  return parsed.toString();
}

const hostPort = (url: string, defaultPort: number) => {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || defaultPort) };
};

/**
 * The test harness (test/support/harness.ts: the whole bot, in-process, against the Slack emulator) with the
 * first bot's PostgreSQL and Redis behind proxies the test can cut. Slack faults are the emulator's own
 * (`h.slack.failNext(method, fault, options)`, see src/playground/emulator/faults.ts).
 */
export async function startFaultHarness(options: HarnessOptions = {}): Promise<FaultHarness> {
  const pg = await TcpProxy.start(hostPort(DATABASE_URL, 5432));
  const redis = await TcpProxy.start(hostPort(REDIS_URL, 6379));
  const h = await startHarness({
    ...options,
    botDatabase: (database) =>
      connectPostgres({
        url: through(DATABASE_URL, pg),
        ...(database.schema ? { schema: database.schema } : {}),
        max: 12,
      }),
    botCoordinator: (prefix) => new RedisCoordinator({ url: through(REDIS_URL, redis), prefix, log: silentLogger }),
  });
  return {
    ...h,
    pg,
    redis,
    async stop() {
      await pg.restore();
      await redis.restore();
      await h.stop();
      await h.bot.deps?.db.close().catch(() => undefined);
      await pg.close();
      await redis.close();
    },
  };
}
