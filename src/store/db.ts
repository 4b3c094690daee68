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
