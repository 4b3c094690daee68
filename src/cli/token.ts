// `incidentbot token refresh <provider>` and `incidentbot token status`.
import { systemClock } from '../clock.js';
import { parseEnv } from '../config/env.js';
import { loadConfig } from '../config/load.js';
import { InProcessCoordinator } from '../coord/memory.js';
import { RedisCoordinator } from '../coord/redis.js';
import { createLogger } from '../log.js';
import { TokenManager } from '../tokens/index.js';
import type { Io } from './io.js';
import { presentProps } from '../domain/defined.js';

export async function token(args: string[], { out, err }: Io): Promise<number> {
  const [verb, provider] = args;
  const env = parseEnv(process.env);
  const { config } = await loadConfig(process.env);
  const log = createLogger({ level: 'warn', format: 'pretty' });
  const coord = env.REDIS_URL ? new RedisCoordinator({ url: env.REDIS_URL, log }) : new InProcessCoordinator();
  const tokens = new TokenManager({
    providers: config.tokens,
    coord,
    clock: systemClock,
    log,
    ...presentProps({ redisUrl: env.REDIS_URL }),
  });
  try {
    if (verb === 'status') {
      for (const s of await tokens.states()) {
        const until = s.expiresAt ? `valid until ${s.expiresAt.toISOString()}` : '';
        out(
          `${s.provider.padEnd(16)} ${s.status.padEnd(9)} ${until}${s.lastError ? `  last error: ${s.lastError}` : ''}`,
        );
      }
      return 0;
    }
    if (verb !== 'refresh' || !provider) {
      err('usage: incidentbot token refresh <provider> | incidentbot token status');
      return 1;
    }
    const outcome = await tokens.refresh(provider);
    if (outcome.ok) {
      const until = outcome.expiresAt ? `, valid until ${outcome.expiresAt.toISOString()}` : '';
      out(`${provider}: refreshed${until} (${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'})`);
    } else err(`${provider}: ${outcome.error ?? 'refresh failed'}`);
    return outcome.ok ? 0 : 1;
  } finally {
    await tokens.close();
    await coord.close();
  }
}
