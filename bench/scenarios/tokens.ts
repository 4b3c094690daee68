import { createServer } from 'node:http';
import { systemClock } from '../../src/clock.js';
import { envFields } from '../../src/config/fields.js';
import { tokenProviderSchema } from '../../src/config/tokens.js';
import type { Coordinator } from '../../src/coord/coordinator.js';
import { silentLogger } from '../../src/log.js';
import { TokenManager } from '../../src/tokens/index.js';
import type { BenchContext } from '../support/context.js';
import { coordinator, redisPrefix } from '../support/env.js';
import { type ScenarioOutcome, exactly } from '../support/figures.js';

const REQUESTS = 1_000;

/**
 * 1,000 concurrent `getToken` calls on an empty cache against a local OAuth
 * stub that takes 50 ms to answer: how many reach the token URL. With Redis,
 * the calls are split between two token managers sharing one key prefix (two
 * replicas); without, one manager takes them all (one replica is all the
 * in-process coordination supports).
 */
export async function tokenScenario(ctx: BenchContext): Promise<ScenarioOutcome> {
  let calls = 0;
  let issued = 0;
  const stub = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls++;
      const token = `bench-access-token-${++issued}`;
      setTimeout(
        () =>
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 })),
        50,
      );
    });
  });
  const port = await new Promise<number>((resolve) =>
    stub.listen(0, '127.0.0.1', () => {
      const address = stub.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    }),
  );
  const replicas = ctx.env.redisUrl ? 2 : 1;
  const coords: Coordinator[] = [];
  const managers: TokenManager[] = [];
  try {
    const provider = tokenProviderSchema(
      envFields({ BENCH_CLIENT_ID: 'bench-client', BENCH_CLIENT_SECRET: 'bench-secret' }),
    ).parse({
      token_url: `http://127.0.0.1:${port}/services/oauth2/token`,
      client_id: '${BENCH_CLIENT_ID}',
      client_secret: '${BENCH_CLIENT_SECRET}',
    });
    for (let i = 0; i < replicas; i++) {
      const coord = await coordinator(ctx.env, redisPrefix(ctx.env, 'tokens'));
      coords.push(coord);
      managers.push(new TokenManager({ providers: { bench: provider }, coord, clock: systemClock, log: silentLogger }));
    }
    const started = performance.now();
    const tokens = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) => managers[i % replicas]!.getToken('bench')),
    );
    const wallMs = Math.round(performance.now() - started);
    const distinct = new Set(tokens).size;
    const who = `${replicas} token manager(s)${replicas > 1 ? ' sharing Redis' : ''}`;
    const outcome = `${calls} call(s) to the token URL, ${distinct} distinct token(s) handed out, all answered in ${wallMs} ms`;
    return {
      figures: [exactly('token_url_calls', calls, 'calls', 1)],
      details: [`${REQUESTS} concurrent getToken on ${who}: ${outcome}`],
    };
  } finally {
    await Promise.all(managers.map((m) => m.close()));
    await Promise.all(coords.map((c) => c.close()));
    stub.closeAllConnections();
    await new Promise((r) => stub.close(r));
  }
}
