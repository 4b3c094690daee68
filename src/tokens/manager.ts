import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../clock.js';
import type { Coordinator } from '../coord/coordinator.js';
import { formatDuration } from '../domain/duration.js';
import { MissingSecretError } from '../config/secret.js';
import type { TokenProviderConfig } from '../config/tokens.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../log.js';
import { coordinate } from './flight.js';
import { TokenUnavailableError, UnknownProviderError, errorCode } from './errors.js';
import { obtainToken } from './obtain.js';
import { notAttempted, tellOutcome } from './outcome.js';
import { lockBudget } from './retry.js';
import {
  type CachedToken,
  type RefreshOutcome,
  type RefreshStatus,
  type TokenState,
  cacheKey,
  decodeStatus,
  decodeToken,
  describeState,
  isDue,
  isUsable,
  lockName,
  newer,
  statusKey,
} from './state.js';
import { definedProps, presentProps } from '../domain/defined.js';

export interface TokenManagerDeps {
  providers: Record<string, TokenProviderConfig>;
  coord: Coordinator;
  clock: Clock;
  log: Logger;
  metrics?: Pick<Metrics, 'tokenCache' | 'tokenRefreshes'>;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** The bot's Redis, for a redis sink without its own url. */
  redisUrl?: string;
}

/**
 * Why a flight runs: `force` wants a token newer than the one it saw; the others any token that is usable or not
 * yet due.
 */
type Need = 'force' | 'usable' | 'due';
interface Flight {
  outcome: RefreshOutcome;
  token?: CachedToken;
}
type Done = (outcome: Omit<RefreshOutcome, 'provider' | 'durationMs'>, token?: CachedToken) => Promise<Flight>;

const STATUS_TTL_MS = 7 * 86_400_000;

/**
 * Keeps OAuth client-credentials tokens fresh. One refresh at a time per
 * provider: in this process concurrent callers share one promise; across
 * replicas the Coordinator lock `token:<provider>` picks the one that calls
 * the token URL, and the others wait for it and read the shared cache.
 */
export class TokenManager {
  private readonly configs: Map<string, TokenProviderConfig>;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly statuses = new Map<string, RefreshStatus>();
  private readonly counts = new Map<string, { hits: number; misses: number }>();
  private readonly flights = new Map<string, Promise<Flight>>();
  private readonly stop = new AbortController();
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: TokenManagerDeps) {
    this.configs = new Map(Object.entries(deps.providers));
    this.fetch = deps.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.sleep = deps.sleep ?? ((ms) => this.pause(ms));
  }

  providers(): string[] {
    return [...this.configs.keys()];
  }

  /**
   * A token valid for at least `buffer` more; refreshes (single-flight) when the cached one is not. Counts a
   * cache hit or miss.
   */
  async getToken(provider: string): Promise<string> {
    const config = this.config(provider);
    const local = this.tokens.get(provider);
    const token = local && isUsable(local, this.nowMs(), config) ? local : await this.known(provider);
    if (token && isUsable(token, this.nowMs(), config)) {
      this.count(provider, 'hit');
      return token.accessToken;
    }
    this.count(provider, 'miss');
    const flight = await this.fly(provider, 'usable');
    if (flight.token) return flight.token.accessToken;
    throw new TokenUnavailableError(provider, flight.outcome.error ?? 'the refresh failed');
  }

  /** Refresh now, even if the cached token is still valid. Concurrent callers share one call. */
  async refresh(provider: string): Promise<RefreshOutcome> {
    this.config(provider);
    return (await this.fly(provider, 'force')).outcome;
  }

  /** The proactive daemon's work: refresh every token expiring within `proactive.window` (or missing). */
  async refreshDue(): Promise<RefreshOutcome[]> {
    const due: string[] = [];
    for (const [provider, config] of this.configs) {
      const token = await this.known(provider);
      if (!token || isDue(token, this.nowMs(), config)) due.push(provider);
    }
    const flights = await Promise.all(due.map((provider) => this.fly(provider, 'due')));
    return flights.map((flight) => flight.outcome);
  }

  /** From the last known state, synchronously (for health checks). */
  state(provider: string): TokenState | undefined {
    const config = this.configs.get(provider);
    if (!config) return undefined;
    const counts = this.counts.get(provider) ?? { hits: 0, misses: 0 };
    return describeState({
      provider,
      config,
      token: this.tokens.get(provider),
      status: this.statuses.get(provider),
      counts,
      now: this.nowMs(),
    });
  }

  /** Fresh from the shared cache, so a refresh by another replica shows. */
  async states(): Promise<TokenState[]> {
    for (const provider of this.configs.keys()) {
      await this.known(provider);
      const shared = decodeStatus(await this.deps.coord.get(statusKey(provider)));
      if (shared && (shared.lastRefreshAt ?? 0) >= (this.statuses.get(provider)?.lastRefreshAt ?? 0))
        this.statuses.set(provider, shared);
    }
    return this.providers().flatMap((provider) => this.state(provider) ?? []);
  }

  /**
   * Stops retries and waits, and lets refreshes under way finish (failed). The Coordinator is the caller's to
   * close.
   */
  async close(): Promise<void> {
    this.stop.abort();
    await Promise.allSettled([...this.flights.values()]);
  }

  private config(provider: string): TokenProviderConfig {
    const config = this.configs.get(provider);
    if (!config) throw new UnknownProviderError(provider, this.providers());
    return config;
  }

  private nowMs(): number {
    return this.deps.clock.now().getTime();
  }

  private async pause(ms: number): Promise<void> {
    await delay(ms, undefined, { signal: this.stop.signal }).catch(() => undefined);
  }

  private count(provider: string, result: 'hit' | 'miss'): void {
    const counts = this.counts.get(provider) ?? { hits: 0, misses: 0 };
    if (result === 'hit') counts.hits += 1;
    else counts.misses += 1;
    this.counts.set(provider, counts);
    this.deps.metrics?.tokenCache.inc({ provider, result });
  }

  /** The newest token this process knows of, after a look at the shared cache. */
  private async known(provider: string): Promise<CachedToken | undefined> {
    const best = newer(this.tokens.get(provider), decodeToken(await this.deps.coord.get(cacheKey(provider))));
    if (best) this.tokens.set(provider, best);
    return best;
  }

  private fly(provider: string, need: Need): Promise<Flight> {
    const current = this.flights.get(provider);
    if (current) return current;
    const flight = this.run(provider, need).finally(() => this.flights.delete(provider));
    this.flights.set(provider, flight);
    return flight;
  }

  private async run(provider: string, need: Need): Promise<Flight> {
    const config = this.config(provider);
    const started = performance.now();
    const done: Done = (outcome, token) =>
      this.finish({ provider, ...outcome, durationMs: Math.round(performance.now() - started) }, token);
    try {
      const missing = [...config.client_id.missing, ...config.client_secret.missing];
      if (missing.length > 0)
        return await done(notAttempted('this-process', new MissingSecretError(missing).userMessage));
      const seen = need === 'force' ? (await this.known(provider))?.id : undefined;
      const satisfied = (token: CachedToken | undefined): token is CachedToken => {
        if (!token) return false;
        if (need === 'force') return token.id !== seen;
        return need === 'usable' ? isUsable(token, this.nowMs(), config) : !isDue(token, this.nowMs(), config);
      };
      const budget = lockBudget(config);
      const result = await coordinate(
        {
          coord: this.deps.coord,
          lock: lockName(provider),
          budgetMs: budget,
          signal: this.stop.signal,
          read: () => this.known(provider),
          satisfied,
        },
        () => this.refreshHolding(provider, config, done),
      );
      switch (result.kind) {
        case 'held':
          return result.value;
        case 'shared': {
          const by = result.waited || need === 'force' ? 'another-replica' : 'cache';
          return await done({ ok: true, expiresAt: new Date(result.found.expiresAt), attempts: 0, by }, result.found);
        }
        case 'timed-out':
          return await done(
            notAttempted(
              'another-replica',
              `another replica has been refreshing the token for more than ${formatDuration(budget)}; try again`,
            ),
          );
        case 'stopped':
          return await done(notAttempted('this-process', 'the token manager has stopped'));
      }
    } catch (error) {
      this.deps.log.error({ provider, err: error }, 'token refresh crashed');
      return done(notAttempted('this-process', `the refresh failed unexpectedly (${errorCode(error)})`));
    }
  }

  /** Under the lock: call the token URL, write the shared cache and the sink. */
  private async refreshHolding(provider: string, config: TokenProviderConfig, done: Done): Promise<Flight> {
    const { clock, coord, log, redisUrl } = this.deps;
    const random = this.deps.random ?? Math.random;
    const result = await obtainToken(provider, config, {
      coord,
      clock,
      log,
      redisUrl,
      random,
      fetch: this.fetch,
      sleep: this.sleep,
      signal: this.stop.signal,
    });
    if (result.token) this.tokens.set(provider, result.token);
    const expiresAt = result.token ? { expiresAt: new Date(result.token.expiresAt) } : {};
    return done(
      {
        ok: result.ok,
        attempts: result.attempts,
        by: 'this-process',
        ...expiresAt,
        ...presentProps({ error: result.error }),
      },
      result.token,
    );
  }

  /** Records the outcome: state, the shared status (when this process called the URL), metrics and one log line. */
  private async finish(outcome: RefreshOutcome, token?: CachedToken): Promise<Flight> {
    const { provider } = outcome;
    const status: RefreshStatus = {
      lastRefreshAt: outcome.ok && token ? token.obtainedAt : this.nowMs(),
      ...presentProps({ lastError: outcome.error }),
    };
    this.statuses.set(provider, status);
    if (outcome.by === 'this-process')
      await this.deps.coord.set(statusKey(provider), JSON.stringify(status), STATUS_TTL_MS);
    tellOutcome(this.deps, outcome);
    return { outcome, ...definedProps({ token }) };
  }
}
