/**
 * The one database interface the store is written against. Two adapters
 * implement it: `pg` against a real PostgreSQL and PGlite embedded under
 * DATA_DIR. The same store tests run on both.
 */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
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

/** Postgres' unique_violation: the constraint that makes a write happen once. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string } | undefined;
  return (
    e?.code === '23505' &&
    (constraint === undefined || e.constraint === constraint || String(error).includes(constraint))
  );
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
  const e = error as { code?: string; message?: string; errors?: unknown[] } | undefined;
  if (!e) return false;
  if (e.code && (CONNECTION_CODES.has(e.code) || e.code.startsWith('08') || /^57P0[123]$/.test(e.code))) return true;
  if (Array.isArray(e.errors) && e.errors.some(isDatabaseUnavailable)) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    e.message ?? '',
  );
}
