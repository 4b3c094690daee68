import { z } from 'zod';
import { presentProps } from '../domain/defined.js';
import type { TokenProviderConfig } from '../config/tokens.js';

/** What `/incident token status` and the token health check show. Never holds the token. */
export interface TokenState {
  provider: string;
  title: string;
  /** `expiring`: within `alert_before` of expiry; `expired`: past `expiresAt - buffer`, so no longer handed out. */
  status: 'valid' | 'expiring' | 'expired' | 'missing';
  expiresAt?: Date;
  obtainedAt?: Date;
  ageMs?: number;
  lastRefreshAt?: Date;
  /** A plain sentence, never containing a secret or a token. */
  lastError?: string;
  /** Since this process started. */
  cacheHits: number;
  cacheMisses: number;
}

export interface RefreshOutcome {
  provider: string;
  ok: boolean;
  expiresAt?: Date;
  attempts: number;
  durationMs: number;
  error?: string;
  /**
   * Who called the token URL: this process, another replica (we waited for it), or nobody (the cache already had
   * one).
   */
  by: 'this-process' | 'another-replica' | 'cache';
}

/** A token as the shared cache keeps it. `id` tells one refresh's token from the next. Times in ms. */
export interface CachedToken {
  id: string;
  accessToken: string;
  tokenType: string;
  instanceUrl?: string;
  issuedAt: number;
  expiresAt: number;
  obtainedAt: number;
}

/** The last refresh attempt of a provider, by whichever replica made it. */
export interface RefreshStatus {
  lastRefreshAt?: number;
  lastError?: string;
}

export const cacheKey = (provider: string) => `token:${provider}`;
export const statusKey = (provider: string) => `token-status:${provider}`;
export const lockName = (provider: string) => `token:${provider}`;

const cachedSchema = z.object({
  id: z.string(),
  access_token: z.string().min(1),
  token_type: z.string(),
  instance_url: z.string().optional(),
  issued_at: z.number(),
  expires_at: z.number(),
  obtained_at: z.number(),
});

export function encodeToken(token: CachedToken): string {
  const { id, accessToken, tokenType, instanceUrl, issuedAt, expiresAt, obtainedAt } = token;
  return JSON.stringify({
    id,
    access_token: accessToken,
    token_type: tokenType,
    instance_url: instanceUrl,
    issued_at: issuedAt,
    expires_at: expiresAt,
    obtained_at: obtainedAt,
  });
}

/** Undefined for anything that is not a token this module wrote. */
export function decodeToken(text: string | undefined): CachedToken | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = cachedSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    const t = parsed.data;
    return {
      id: t.id,
      accessToken: t.access_token,
      tokenType: t.token_type,
      ...presentProps({ instanceUrl: t.instance_url }),
      issuedAt: t.issued_at,
      expiresAt: t.expires_at,
      obtainedAt: t.obtained_at,
    };
  } catch {
    return undefined;
  }
}

const statusSchema = z.object({ lastRefreshAt: z.number().optional(), lastError: z.string().optional() });

export function decodeStatus(text: string | undefined): RefreshStatus | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = statusSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The later of two tokens (by when they were obtained). */
export function newer(a: CachedToken | undefined, b: CachedToken | undefined): CachedToken | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.obtainedAt > a.obtainedAt ? b : a;
}

/** Handed out only while `now < expiresAt - buffer`. */
export function isUsable(token: CachedToken, now: number, config: Pick<TokenProviderConfig, 'buffer'>): boolean {
  return now < token.expiresAt - config.buffer;
}

/** The proactive daemon refreshes a token once it expires within `proactive.window`. */
export function isDue(token: CachedToken, now: number, config: Pick<TokenProviderConfig, 'proactive'>): boolean {
  return token.expiresAt - now <= config.proactive.window;
}

export function tokenStatus(
  token: CachedToken | undefined,
  now: number,
  config: Pick<TokenProviderConfig, 'buffer' | 'alert_before'>,
): TokenState['status'] {
  if (!token) return 'missing';
  if (!isUsable(token, now, config)) return 'expired';
  if (token.expiresAt - now <= config.alert_before) return 'expiring';
  return 'valid';
}

export function describeState(input: {
  provider: string;
  config: TokenProviderConfig;
  token: CachedToken | undefined;
  status: RefreshStatus | undefined;
  counts: { hits: number; misses: number };
  now: number;
}): TokenState {
  const { provider, config, token, status, counts, now } = input;
  return {
    provider,
    title: config.title ?? provider,
    status: tokenStatus(token, now, config),
    ...(token
      ? {
          expiresAt: new Date(token.expiresAt),
          obtainedAt: new Date(token.obtainedAt),
          ageMs: Math.max(0, now - token.obtainedAt),
        }
      : {}),
    ...(status?.lastRefreshAt !== undefined ? { lastRefreshAt: new Date(status.lastRefreshAt) } : {}),
    ...presentProps({ lastError: status?.lastError }),
    cacheHits: counts.hits,
    cacheMisses: counts.misses,
  };
}
