import { z } from 'zod';
import type { Clock } from '../clock.js';
import { formatDuration } from '../domain/duration.js';
import { MissingSecretError } from '../config/secret.js';
import type { TokenProviderConfig } from '../config/tokens.js';
import { errorCode } from './errors.js';
import { type Attempt, type RetryOptions, retryAfterMs, withRetries } from './retry.js';
import { CrossOriginRedirectError, sameOriginRedirects } from '../http/redirects.js';
import { presentProps } from '../domain/defined.js';

/** A token as the token URL issued it. `accessToken` never leaves this module's callers except to a sink. */
export interface IssuedToken {
  accessToken: string;
  tokenType: string;
  instanceUrl?: string;
  issuedAt: Date;
  expiresAt: Date;
}

export type TokenResult =
  { ok: true; token: IssuedToken; attempts: number } | { ok: false; error: string; attempts: number };

export interface OAuthDeps {
  fetch: typeof fetch;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Aborted when the token manager stops. */
  signal?: AbortSignal;
  onRetry?: RetryOptions['onRetry'];
}

/**
 * RFC 6749 §5.1, and Salesforce's variant: no `expires_in`, but `issued_at`
 * (milliseconds, as a string) and `instance_url`.
 */
const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().min(1).optional(),
  expires_in: z.coerce.number().positive().optional(),
  issued_at: z.union([z.string(), z.number()]).optional(),
  instance_url: z.string().optional(),
});

/** RFC 6749 §5.2. Only the code is kept: a description could echo anything back. */
const errorResponse = z.object({ error: z.string().regex(/^[\w.-]{1,64}$/) });

/** Asks the token URL for a token with the client credentials grant, retrying what a retry can fix. */
export async function requestToken(config: TokenProviderConfig, deps: OAuthDeps): Promise<TokenResult> {
  const missing = [...config.client_id.missing, ...config.client_secret.missing];
  if (missing.length > 0) return { ok: false, error: new MissingSecretError(missing).userMessage, attempts: 0 };
  const { result, attempts } = await withRetries(() => attempt(config, deps), {
    retries: config.retries,
    backoff: config.backoff,
    sleep: deps.sleep,
    random: deps.random,
    stopped: () => deps.signal?.aborted === true,
    onRetry: deps.onRetry,
  });
  if (result.ok) return { ok: true, token: result.value, attempts };
  return { ok: false, error: attempts > 1 ? `${result.error} (${attempts} attempts)` : result.error, attempts };
}

function requestInit(config: TokenProviderConfig, signal: AbortSignal): RequestInit {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (config.scope) form.set('scope', config.scope);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (config.auth_style === 'basic') {
    // RFC 6749 §2.3.1: each part form-encoded, then joined with a colon.
    const encode = (value: string) => new URLSearchParams([['', value]]).toString().slice(1);
    const pair = `${encode(config.client_id.reveal())}:${encode(config.client_secret.reveal())}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else {
    form.set('client_id', config.client_id.reveal());
    form.set('client_secret', config.client_secret.reveal());
  }
  return { method: 'POST', headers, body: form, signal };
}

async function attempt(config: TokenProviderConfig, deps: OAuthDeps): Promise<Attempt<IssuedToken>> {
  const signals = [AbortSignal.timeout(config.timeout), ...(deps.signal ? [deps.signal] : [])];
  try {
    // The request carries the client secret: a redirect is followed only within the token URL's origin.
    const response = await sameOriginRedirects(deps.fetch)(
      config.token_url,
      requestInit(config, AbortSignal.any(signals)),
    );
    const text = await response.text();
    if (response.ok) return parseToken(text, config, deps.clock);
    const status = response.status;
    if (status === 429 || status >= 500) {
      return {
        ok: false,
        retry: true,
        error: `the token URL answered ${status}`,
        retryAfterMs: retryAfterMs(response.headers.get('retry-after'), deps.clock.now()),
      };
    }
    const code = oauthErrorCode(text);
    const detail = code ? `${status} ${code}` : `${status}`;
    if (status === 401 || (status === 400 && (!code || /client/i.test(code)))) {
      return { ok: false, retry: false, error: `the token URL refused the client credentials (${detail})` };
    }
    return { ok: false, retry: false, error: `the token URL rejected the token request (${detail})` };
  } catch (error) {
    if (deps.signal?.aborted)
      return { ok: false, retry: false, error: 'the token manager stopped before the token URL answered' };
    if (error instanceof Error && error.name === 'TimeoutError') {
      return { ok: false, retry: true, error: `the token URL did not answer within ${formatDuration(config.timeout)}` };
    }
    if (error instanceof CrossOriginRedirectError) return { ok: false, retry: false, error: error.message };
    return { ok: false, retry: true, error: `could not reach the token URL (${errorCode(error)})` };
  }
}

function oauthErrorCode(text: string): string | undefined {
  try {
    const parsed = errorResponse.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.error : undefined;
  } catch {
    return undefined;
  }
}

function parseToken(text: string, config: TokenProviderConfig, clock: Clock): Attempt<IssuedToken> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, retry: false, error: 'the token URL answered, but not with JSON' };
  }
  const parsed = tokenResponse.safeParse(json);
  if (!parsed.success) return { ok: false, retry: false, error: 'the token URL answered without an access_token' };
  const body = parsed.data;
  const now = clock.now().getTime();
  // Salesforce's issued_at is the server's clock: never trust it to be later than ours.
  const issued = body.issued_at === undefined ? Number.NaN : Number(body.issued_at);
  const issuedAt = Number.isFinite(issued) && issued > 0 ? Math.min(issued, now) : now;
  const expiresAt = body.expires_in !== undefined ? now + body.expires_in * 1_000 : issuedAt + config.lifetime;
  return {
    ok: true,
    value: {
      accessToken: body.access_token,
      tokenType: body.token_type ?? 'Bearer',
      ...presentProps({ instanceUrl: body.instance_url }),
      issuedAt: new Date(issuedAt),
      expiresAt: new Date(expiresAt),
    },
  };
}
