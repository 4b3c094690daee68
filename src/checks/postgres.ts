import pg from 'pg';
import { formatMs } from './compare.js';
import { safeUrl } from './faults.js';
import type { Runner } from './types.js';

/**
 * Connects, runs the query and ends the client, whatever happens. The
 * connection and statement timeouts let the server give up too, so a
 * cancelled `pg_sleep` does not keep running there.
 */
export const runPostgres: Runner<'postgres'> = async (config, attempt) => {
  const url = attempt.reveal(config.url);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: config.timeout,
    statement_timeout: config.timeout,
    query_timeout: config.timeout,
    application_name: 'incident-bot-check',
  });
  // An error after the attempt ended (the server going away) must not crash the process.
  client.on('error', () => undefined);
  const end = () => void client.end().catch(() => undefined);
  attempt.signal.addEventListener('abort', end, { once: true });
  try {
    const started = performance.now();
    await client.connect();
    attempt.details.push(`✓ connected to ${safeUrl(url)} in ${formatMs(performance.now() - started)}`);
    const queried = performance.now();
    const result = await client.query(config.query);
    const rows = result.rowCount ?? result.rows.length;
    attempt.details.push(
      `✓ ${short(config.query)} → ${rows} row${rows === 1 ? '' : 's'} in ${formatMs(performance.now() - queried)}`,
    );
    return {};
  } finally {
    attempt.signal.removeEventListener('abort', end);
    end();
  }
};

function short(query: string): string {
  const line = query.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}
