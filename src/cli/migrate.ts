// `incidentbot migrate`: the database migrations applied (DATABASE_URL, else the embedded database).
import { parseEnv } from '../config/env.js';
import { describeDatabase, openDatabase } from '../store/connect.js';
import { migrate } from '../store/migrate.js';
import type { Io } from './io.js';

export async function runMigrations(_args: string[], { out }: Io): Promise<number> {
  const env = parseEnv(process.env);
  const db = await openDatabase(env);
  try {
    const applied = await migrate(db);
    out(
      applied.length
        ? `applied ${applied.join(', ')} to ${describeDatabase(db, env)}`
        : `${describeDatabase(db, env)} is up to date`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
