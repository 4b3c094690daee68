import { Redis } from 'ioredis';
import { compare, formatMs, formatNumber } from './compare.js';
import { joinFailures } from './expectations.js';
import { safeUrl } from './faults.js';
import type { Runner } from './types.js';

/**
 * PING, then INFO compared field by field. The client is built to fail fast:
 * no reconnects, no retried commands, no offline queue; it is always
 * disconnected, and disconnected at once when the attempt is aborted.
 */
export const runRedis: Runner<'redis'> = async (config, attempt) => {
  const url = attempt.reveal(config.url);
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: config.timeout,
    commandTimeout: config.timeout,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    reconnectOnError: () => false,
  });
  // The event carries the real cause (ECONNREFUSED); connect() only rejects with "Connection is closed".
  let lastError: unknown;
  client.on('error', (error) => {
    lastError = error;
  });
  const stop = () => client.disconnect();
  attempt.signal.addEventListener('abort', stop, { once: true });
  try {
    const started = performance.now();
    await client.connect().catch((error: unknown) => {
      throw lastError ?? error;
    });
    const pong = await client.ping();
    attempt.details.push(`✓ PING ${safeUrl(url)} → ${pong} in ${formatMs(performance.now() - started)}`);
    if (config.info.length === 0) return {};
    const info = parseInfo(await client.info());
    const failures: string[] = [];
    for (const { field, op, value } of config.info) {
      const raw = info.get(field);
      const actual = raw === undefined ? undefined : Number(raw);
      const failure =
        raw === undefined
          ? `INFO has no field ${field}`
          : !Number.isFinite(actual)
            ? `${field} is ${JSON.stringify(raw)}, expected a number ${op} ${formatNumber(value)}`
            : compare(actual!, op, value)
              ? undefined
              : `${field} is ${raw}, expected ${op} ${formatNumber(value)}`;
      if (failure) failures.push(failure);
      attempt.details.push(failure ? `✗ ${failure}` : `✓ ${field} is ${raw} (${op} ${formatNumber(value)})`);
    }
    return failures.length === 0 ? {} : { failure: joinFailures(failures) };
  } finally {
    attempt.signal.removeEventListener('abort', stop);
    client.disconnect();
  }
};

/** `INFO` is `field:value` lines under `# Section` headers. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}
