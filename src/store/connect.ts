import { resolve } from 'node:path';
import type { Database } from './db.js';
import { connectPostgres } from './pg.js';
import { openEmbedded } from './pglite.js';

/** The real PostgreSQL when DATABASE_URL is set; the embedded one under DATA_DIR otherwise. */
export async function openDatabase(env: { DATABASE_URL?: string; DATA_DIR: string }): Promise<Database> {
  if (env.DATABASE_URL) return connectPostgres({ url: env.DATABASE_URL });
  return openEmbedded(resolve(env.DATA_DIR, 'postgres'));
}

export function describeDatabase(db: Database, env: { DATABASE_URL?: string; DATA_DIR: string }): string {
  if (db.kind === 'embedded') return `embedded PostgreSQL (PGlite) in ${resolve(env.DATA_DIR, 'postgres')}`;
  const url = new URL(env.DATABASE_URL!);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
