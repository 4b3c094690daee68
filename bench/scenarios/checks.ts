import { type Server, createServer } from 'node:http';
import { type Server as TcpServer, type Socket, createServer as createTcpServer } from 'node:net';
import { runChecks } from '../../src/checks/index.js';
import { checkSchema } from '../../src/config/checks.js';
import { envFields } from '../../src/config/fields.js';
import type { BenchContext } from '../support/context.js';
import { type ScenarioOutcome, atMost, ms, round } from '../support/figures.js';

const listen = <S extends Server | TcpServer>(server: S) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    }),
  );

/**
 * One group of 20 HTTP health checks run side by side (`runChecks`): 19
 * against a healthy endpoint, one against a target that accepts the
 * connection and never answers. The group should take its timeout, not more.
 */
export async function checksScenario(ctx: BenchContext): Promise<ScenarioOutcome> {
  const timeoutMs = ctx.quick ? 500 : 2_000;
  const healthy = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"healthy"}'),
  );
  const sockets = new Set<Socket>();
  const silent = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  const [healthyPort, silentPort] = [await listen(healthy), await listen(silent)];
  try {
    const schema = checkSchema(envFields({}));
    const checks = Array.from({ length: 20 }, (_, i) => ({
      name: `check-${i + 1}`,
      config: schema.parse({
        kind: 'http',
        timeout: `${timeoutMs}ms`,
        retries: 0,
        url: i === 19 ? `http://127.0.0.1:${silentPort}/health` : `http://127.0.0.1:${healthyPort}/health`,
        expect: { status: 200, json: [{ path: 'status', equals: 'healthy' }] },
      }),
    }));
    const runs = ctx.quick ? 1 : 2;
    const walls: number[] = [];
    let outcome = '';
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const results = await runChecks(checks);
      walls.push(performance.now() - started);
      const failed = results.filter((r) => r.status === 'fail');
      const why = failed.map((f) => `${f.name}: ${f.failure}`).join('; ');
      outcome = `${results.length - failed.length} healthy, ${failed.length} unhealthy (${why})`;
      if (failed.length !== 1 || failed[0]!.name !== 'check-20')
        throw new Error(`expected exactly the silent check to fail: ${outcome}`);
    }
    const worst = Math.max(...walls);
    const wallTimes = walls.map((w) => ms(Math.round(w))).join(', ');
    return {
      figures: [atMost('checks_wall_vs_timeout', round(worst / timeoutMs), '×', 1.1)],
      details: [
        `20 checks, timeout ${ms(timeoutMs)}, ${runs} run(s): wall ${wallTimes} (the figure is the slowest); ${outcome}`,
      ],
    };
  } finally {
    for (const socket of sockets) socket.destroy();
    healthy.closeAllConnections();
    await new Promise((r) => healthy.close(r));
    await new Promise((r) => silent.close(r));
  }
}
