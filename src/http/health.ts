import type { Coordinator } from '../coord/coordinator.js';
import type { Logger } from '../log.js';
import type { Database } from '../store/db.js';
import { type Route, sendJson } from './server.js';
import { definedProps } from '../domain/defined.js';

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);

export interface Readiness {
  db: Database;
  coord: Coordinator;
  /** False while shutting down: the load balancer should stop sending work. */
  accepting: () => boolean;
  /** Whether Slack is reachable (socket open, or auth.test passing); undefined for a bot without Slack. */
  slack?: () => boolean | undefined;
  log?: Logger;
}

type State = 'ok' | 'down';

/**
 * `/healthz`: the process is alive. `/readyz`: each dependency `ok` or `down`
 * (`{"status":"not_ready","database":"ok","redis":"down","slack":"ok"}`), 503
 * unless all are ok. The body never carries an error's text (it may name a
 * host or a user); the log does.
 */
export function healthRoutes(readiness: Readiness): Route[] {
  /** The cause goes to the log only; the answer says `down`. */
  const down = (what: string) => (error: unknown) => {
    readiness.log?.warn({ err: error }, `readiness: ${what} is down`);
    return false;
  };
  return [
    { method: 'GET', path: '/healthz', handler: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    {
      method: 'GET',
      path: '/readyz',
      handler: async (_req, res) => {
        const databaseUp = await withTimeout(readiness.db.query('SELECT 1'), 2_000).then(
          () => true,
          down('the database'),
        );
        const redisUp =
          readiness.coord.kind !== 'redis' || (await withTimeout(readiness.coord.ping(), 2_000).catch(down('Redis')));
        const database: State = databaseUp ? 'ok' : 'down';
        const redis: State = redisUp ? 'ok' : 'down';
        const connected = readiness.slack?.();
        const slack: State | undefined = connected === undefined ? undefined : connected ? 'ok' : 'down';
        const accepting = readiness.accepting();
        const ready = database === 'ok' && redis === 'ok' && slack !== 'down' && accepting;
        sendJson(res, ready ? 200 : 503, {
          status: ready ? 'ready' : accepting ? 'not_ready' : 'stopping',
          database,
          redis,
          ...definedProps({ slack }),
        });
      },
    },
  ];
}
