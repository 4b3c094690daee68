import type { Coordinator } from '../coord/coordinator.js';
import type { Database } from '../store/db.js';
import { type Route, sendJson } from './server.js';

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
}

/** `/healthz`: the process is alive. `/readyz`: the database and Redis answer (503 otherwise). */
export function healthRoutes(readiness: Readiness): Route[] {
  return [
    { method: 'GET', path: '/healthz', handler: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    {
      method: 'GET',
      path: '/readyz',
      handler: async (_req, res) => {
        const database = await withTimeout(readiness.db.query('SELECT 1'), 2_000).then(
          () => ({ ok: true, kind: readiness.db.kind }),
          (error: Error) => ({ ok: false, kind: readiness.db.kind, error: error.message }),
        );
        const redis =
          readiness.coord.kind === 'redis'
            ? { ok: await withTimeout(readiness.coord.ping(), 2_000).catch(() => false), kind: 'redis' }
            : { ok: true, kind: 'in-process' };
        const accepting = readiness.accepting();
        const ready = database.ok && redis.ok && accepting;
        sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', database, redis, accepting });
      },
    },
  ];
}
