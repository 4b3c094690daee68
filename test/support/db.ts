import pg from 'pg';
import type { Database } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { connectPostgres } from '../../src/store/pg.js';
import { openEmbedded } from '../../src/store/pglite.js';
import { DATABASE_URL, uniqueName } from './env.js';

export type DatabaseKind = 'postgres' | 'embedded';

export interface TestDatabase {
  db: Database;
  schema?: string;
  /** Another pool on the same schema: a second replica (through `url`, e.g. a proxy a fault test can cut). */
  connectAnother(url?: string): Database;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: its own schema in the real
 * PostgreSQL, or an in-memory embedded one. Not migrated unless asked.
 */
export async function createTestDatabase(
  kind: DatabaseKind,
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  let test: TestDatabase;
  if (kind === 'embedded') {
    const db = await openEmbedded();
    test = { db, connectAnother: () => db, drop: () => db.close() };
  } else {
    const schema = uniqueName('t');
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const pools: Database[] = [];
    const connectAnother = (url = DATABASE_URL) => {
      const db = connectPostgres({ url, schema, max: 12 });
      pools.push(db);
      return db;
    };
    const db = connectAnother();
    test = {
      db,
      schema,
      connectAnother,
      async drop() {
        await Promise.all(pools.map((p) => p.close().catch(() => {})));
        const cleanup = new pg.Client({ connectionString: DATABASE_URL });
        await cleanup.connect();
        await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
        await cleanup.end();
      },
    };
  }
  if (options.migrated !== false) await migrate(test.db);
  return test;
}
