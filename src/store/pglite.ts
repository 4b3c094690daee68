import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Database, QueryResult, Transaction } from './db.js';

/**
 * The embedded PostgreSQL used when DATABASE_URL is unset: the same SQL, one
 * connection, data kept under DATA_DIR (or in memory for tests).
 */
export async function openEmbedded(dataDir?: string): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const toResult = <R>(result: { rows: unknown[]; affectedRows?: number }): QueryResult<R> => ({
    rows: result.rows as R[],
    // PGlite reports 0 affected rows for a SELECT; pg reports the rows returned.
    rowCount: result.affectedRows || result.rows.length,
  });
  return {
    kind: 'embedded',
    async query<R>(text: string, params?: readonly unknown[]) {
      return toResult<R>(await db.query(text, params as unknown[] | undefined));
    },
    transaction(fn) {
      return db.transaction(async (inner) => {
        const tx: Transaction = {
          async query<R>(text: string, params?: readonly unknown[]) {
            return toResult<R>(await inner.query(text, params as unknown[] | undefined));
          },
          async exec(sql) {
            await inner.exec(sql);
          },
        };
        return fn(tx);
      });
    },
    close: () => db.close(),
  };
}
