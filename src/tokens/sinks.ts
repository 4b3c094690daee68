import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import { MissingSecretError, type Secret } from '../config/secret.js';
import type { TokenSinkConfig } from '../config/tokens.js';
import { SinkError, errorCode } from './errors.js';
import type { CachedToken } from './state.js';
import { sameOriginRedirects } from '../http/redirects.js';
import { presentProps } from '../domain/defined.js';

/** What every sink receives: the token and when it was issued and expires (ISO 8601). */
export interface SinkPayload {
  access_token: string;
  token_type: string;
  instance_url?: string;
  issued_at: string;
  expires_at: string;
}

export interface SinkDeps {
  now: Date;
  /** Time allowed for a network sink. */
  timeoutMs: number;
  fetch: typeof fetch;
  /** The bot's Redis, for a redis sink without its own url. */
  redisUrl?: string;
}

export function sinkPayload(token: CachedToken): SinkPayload {
  return {
    access_token: token.accessToken,
    token_type: token.tokenType,
    ...presentProps({ instance_url: token.instanceUrl }),
    issued_at: new Date(token.issuedAt).toISOString(),
    expires_at: new Date(token.expiresAt).toISOString(),
  };
}

/** Hands a fresh token to the services that use it. Throws a SinkError naming the sink. */
export async function writeSink(sink: TokenSinkConfig, token: CachedToken, deps: SinkDeps): Promise<void> {
  const body = `${JSON.stringify(sinkPayload(token), null, 2)}\n`;
  const ttlMs = Math.max(1, token.expiresAt - deps.now.getTime());
  switch (sink.kind) {
    case 'file':
      return writeFileAtomically(sink.path, body, sink.mode).catch((error: unknown) => {
        throw new SinkError(`the file sink could not write ${sink.path} (${errorCode(error)})`);
      });
    case 'redis':
      return writeRedis(sink.key, reveal('redis', sink.url) ?? deps.redisUrl, body, ttlMs, deps.timeoutMs);
    case 'http':
      return writeHttp(sink, body, deps);
  }
}

function reveal(kind: string, secret: Secret | undefined): string | undefined {
  try {
    return secret?.reveal();
  } catch (error) {
    if (error instanceof MissingSecretError) throw new SinkError(`the ${kind} sink is ${error.userMessage}`);
    throw error;
  }
}

/**
 * A reader sees the old file or the new one, never half of one: the token is
 * written to a temporary file in the same directory with its final mode,
 * flushed to disk, then renamed over the old file.
 */
export async function writeFileAtomically(path: string, content: string, mode: number): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(content, 'utf8');
      // The umask may have taken bits away from the mode asked for.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

/** Makes the rename itself durable; not every platform lets a directory be opened, so it is best effort. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

async function writeRedis(
  key: string,
  url: string | undefined,
  body: string,
  ttlMs: number,
  timeoutMs: number,
): Promise<void> {
  if (!url) throw new SinkError('the redis sink has no url and the bot has no Redis (REDIS_URL is not set)');
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: Math.min(timeoutMs, 10_000),
    retryStrategy: () => null,
  });
  // A refused connection arrives as an 'error' event; connect() then rejects with "Connection is closed".
  let connectionError: unknown;
  client.on('error', (error: unknown) => (connectionError = error));
  try {
    await client.connect();
    await client.set(key, body, 'PX', Math.round(ttlMs));
  } catch (error) {
    const code = errorCode(error) === 'unknown error' ? errorCode(connectionError) : errorCode(error);
    throw new SinkError(`the redis sink could not store ${key} (${code})`);
  } finally {
    client.disconnect();
  }
}

async function writeHttp(
  sink: Extract<TokenSinkConfig, { kind: 'http' }>,
  body: string,
  deps: SinkDeps,
): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(sink.headers)) headers[name] = reveal('http', value) ?? '';
  let response: Response;
  try {
    // The body is the token: a redirect is followed only within the sink's origin.
    response = await sameOriginRedirects(deps.fetch)(sink.url, {
      method: sink.method,
      headers,
      body,
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? 'no answer in time' : errorCode(error);
    throw new SinkError(`could not reach the http sink (${reason})`);
  }
  await response.body?.cancel().catch(() => undefined);
  if (!response.ok) throw new SinkError(`the http sink answered ${response.status}`);
}
