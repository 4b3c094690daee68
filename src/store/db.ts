/**
 * The one database interface the store is written against. Two adapters
 * implement it: `pg` against a real PostgreSQL and PGlite embedded under
 * DATA_DIR. The same store tests run on both.
 */
import { thrownField, thrownText } from '../errors.js';
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /**
   * Told the kinds of the timeline events a statement wrote. The composition root's database (tally.ts) counts
   * them for the metrics once their transaction has committed; a bare adapter has no such listener.
   */
  timelineWritten?(kinds: readonly string[]): void;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'embedded';
  /** Runs `fn` in one transaction; it commits when `fn` resolves and rolls back when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface Transaction extends Queryable {
  /** Runs a script of several statements (a migration). */
  exec(sql: string): Promise<void>;
}

/**
 * The row of a statement that always returns one (INSERT … RETURNING, an UPDATE of a row known to exist, a read
 * after an upsert); its absence is a bug, said as one.
 */
export function onlyRow<R>(rows: readonly R[]): R {
  const row = rows[0];
  if (row === undefined) throw new Error('the statement returned no row');
  return row;
}

/** Postgres' unique_violation: the constraint that makes a write happen once. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return (
    thrownField(error, 'code') === '23505' &&
    (constraint === undefined || thrownField(error, 'constraint') === constraint || String(error).includes(constraint))
  );
}

/**
 * A transaction PostgreSQL gave up on to break a deadlock (40P01): nothing it did is kept, and running it again
 * is safe.
 */
export async function retryingDeadlocks<T>(db: Database, fn: (tx: Transaction) => Promise<T>, tries = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (error) {
      if (thrownField(error, 'code') !== '40P01' || attempt >= tries) throw error;
    }
  }
}

/**
 * Runs `fn` atomically: in a new transaction when given the database, or in
 * the caller's transaction when given one, so repository functions compose.
 */
export function atomically<T>(q: Database | Transaction, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  return 'transaction' in q ? q.transaction(fn) : fn(q);
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * The database could not be reached or went away mid-statement (refused, reset, shut down, timed out
 * connecting): a dependency failing, not a bug. SQLSTATE class 08 is "connection exception"; 57P01-57P03 are the
 * server shutting down or starting.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error) return false;
  const code = thrownText(error, 'code');
  if (code && (CONNECTION_CODES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code))) return true;
  const errors = thrownField(error, 'errors');
  if (Array.isArray(errors) && errors.some(isDatabaseUnavailable)) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    thrownText(error, 'message') ?? '',
  );
}
