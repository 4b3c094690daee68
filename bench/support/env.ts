import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { Coordinator } from '../../src/coord/coordinator.js';
import { InProcessCoordinator } from '../../src/coord/memory.js';
import { RedisCoordinator } from '../../src/coord/redis.js';
import { silentLogger } from '../../src/log.js';
import type { Database } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { connectPostgres } from '../../src/store/pg.js';
import { openEmbedded } from '../../src/store/pglite.js';

/**
 * Where the benchmark's state lives: the real PostgreSQL and Redis when
 * DATABASE_URL and REDIS_URL are set, else the bot's embedded defaults
 * (PGlite in memory, in-process coordination), as the runtime contract has it.
 */
export interface BenchEnv {
  runId: string;
  databaseUrl?: string;
  redisUrl?: string;
  database: string;
  redis: string;
}

export function benchEnv(): BenchEnv {
  const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
  const redisUrl = process.env.REDIS_URL?.trim() || undefined;
  const hostOf = (url: string) => {
    const u = new URL(url);
    const port = u.port || (u.protocol.startsWith('redis') ? 6379 : 5432);
    return `${u.hostname}:${port}${u.protocol.startsWith('postgres') ? u.pathname : ''}`;
  };
  return {
    runId,
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(redisUrl ? { redisUrl } : {}),
    database: databaseUrl
      ? `PostgreSQL at ${hostOf(databaseUrl)} (DATABASE_URL), a fresh schema per scenario`
      : 'embedded PostgreSQL (PGlite, in memory): DATABASE_URL is not set',
    redis: redisUrl
      ? `Redis at ${hostOf(redisUrl)} (REDIS_URL), key prefix ib-bench:${runId}:`
      : 'in-process coordination: REDIS_URL is not set',
  };
}

export function machine(): { node: string; cpus: string; git: string } {
  const cpuList = cpus();
  let git = 'unknown';
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    git = dirty ? `${head}+dirty` : head;
  } catch {
    // not a git checkout
  }
  return { node: process.version, cpus: `${cpuList.length} × ${cpuList[0]?.model.trim() ?? 'unknown'}`, git };
}

/** A database of one scenario: its own schema in the real PostgreSQL, or its own in-memory PGlite. */
export interface BenchDatabase {
  schema?: string;
  /** Opens a pool on the schema (another replica); the embedded database is one connection shared by all. */
  connect(max?: number): Promise<Database>;
  drop(): Promise<void>;
}

export async function createDatabase(
  env: BenchEnv,
  scenario: string,
  options: { migrated?: boolean } = {},
): Promise<BenchDatabase> {
  if (!env.databaseUrl) {
    const db = await openEmbedded();
    if (options.migrated !== false) await migrate(db);
    return { connect: async () => db, drop: () => db.close() };
  }
  const url = env.databaseUrl;
  const schema = `ib_bench_${env.runId}_${scenario}`.replace(/[^a-z0-9_]/g, '_');
  await adminQuery(url, `CREATE SCHEMA ${schema}`);
  const pools: Database[] = [];
  const connect = async (max = 10) => {
    const db = connectPostgres({ url, schema, max });
    pools.push(db);
    return db;
  };
  if (options.migrated !== false) {
    const db = await connect(1);
    await migrate(db);
  }
  return {
    schema,
    connect,
    async drop() {
      await Promise.all(pools.map((p) => p.close().catch(() => undefined)));
      await adminQuery(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Schemas an earlier run left behind when it was killed. */
export async function dropStaleSchemas(env: BenchEnv): Promise<void> {
  if (!env.databaseUrl) return;
  const client = new pg.Client({ connectionString: env.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(
      `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'ib\\_bench\\_%'`,
    );
    for (const { nspname } of rows) {
      // Only runs older than an hour: another bench may be running right now.
      const started = Number.parseInt(nspname.split('_')[2]?.slice(0, -4) ?? '', 36);
      if (Number.isFinite(started) && Date.now() - started > 3_600_000)
        await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
    }
  } finally {
    await client.end();
  }
}

export function redisPrefix(env: BenchEnv, scenario: string): string {
  return `ib-bench:${env.runId}:${scenario}:`;
}

/** A coordinator on the scenario's own key prefix; one shared in-process coordinator when there is no Redis. */
export async function coordinator(env: BenchEnv, prefix: string): Promise<Coordinator> {
  if (!env.redisUrl) return new InProcessCoordinator();
  const coord = new RedisCoordinator({ url: env.redisUrl, prefix, log: silentLogger });
  // Until its connection is up a RedisCoordinator falls back to this process; wait, or replicas would not share.
  for (let i = 0; i < 100 && !(await coord.ping()); i++) await new Promise((r) => setTimeout(r, 20));
  return coord;
}

/** Deletes every key of this run, and those of runs that started over an hour ago (killed before they cleaned up). */
export async function cleanRedis(env: BenchEnv): Promise<void> {
  if (!env.redisUrl) return;
  const client = new Redis(env.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', 'ib-bench:*', 'COUNT', 1000);
      cursor = next;
      const ours = keys.filter((key) => {
        const runId = key.split(':')[1] ?? '';
        return runId === env.runId || Date.now() - Number.parseInt(runId.slice(0, -4), 36) > 3_600_000;
      });
      if (ours.length > 0) await client.del(...ours);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
