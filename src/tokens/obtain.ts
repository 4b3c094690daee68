import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Coordinator } from '../coord/coordinator.js';
import type { TokenProviderConfig } from '../config/tokens.js';
import type { Logger } from '../log.js';
import { SinkError, errorCode } from './errors.js';
import { requestToken } from './oauth.js';
import { writeSink } from './sinks.js';
import { type CachedToken, cacheKey, encodeToken, isUsable } from './state.js';
import { presentProps } from '../domain/defined.js';

export interface ObtainDeps {
  coord: Coordinator;
  clock: Clock;
  log: Logger;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  signal: AbortSignal;
  redisUrl?: string;
}

/** `token` is set whenever the token URL gave one, even when the sink then failed (`ok` false). */
export interface Obtained {
  ok: boolean;
  attempts: number;
  token?: CachedToken;
  error?: string;
}

/**
 * The holder of the refresh lock's work: call the token URL, put the token in
 * the shared cache until it expires, then hand it to the sink.
 */
export async function obtainToken(provider: string, config: TokenProviderConfig, deps: ObtainDeps): Promise<Obtained> {
  const result = await requestToken(config, {
    fetch: deps.fetch,
    clock: deps.clock,
    sleep: deps.sleep,
    random: deps.random,
    signal: deps.signal,
    onRetry: ({ attempt, delayMs, error }) =>
      deps.log.info({ provider, attempt, delayMs, error }, 'token request failed; retrying'),
  });
  if (!result.ok) return { ok: false, attempts: result.attempts, error: result.error };
  const now = deps.clock.now().getTime();
  const { accessToken, tokenType, instanceUrl, issuedAt, expiresAt } = result.token;
  const token: CachedToken = {
    id: randomUUID(),
    accessToken,
    tokenType,
    ...presentProps({ instanceUrl }),
    issuedAt: issuedAt.getTime(),
    expiresAt: expiresAt.getTime(),
    obtainedAt: now,
  };
  await deps.coord.set(cacheKey(provider), encodeToken(token), Math.max(1, token.expiresAt - now));
  if (!isUsable(token, now, config)) {
    deps.log.warn(
      { provider, lifetimeMs: token.expiresAt - now, bufferMs: config.buffer },
      'the new token lives less than the buffer, so every request refreshes it',
    );
  }
  if (!config.sink) return { ok: true, attempts: result.attempts, token };
  try {
    await writeSink(config.sink, token, {
      now: new Date(now),
      timeoutMs: config.timeout,
      fetch: deps.fetch,
      redisUrl: deps.redisUrl,
    });
    return { ok: true, attempts: result.attempts, token };
  } catch (error) {
    const reason =
      error instanceof SinkError ? error.message : `the ${config.sink.kind} sink failed (${errorCode(error)})`;
    return { ok: false, attempts: result.attempts, token, error: `the token was refreshed, but ${reason}` };
  }
}
