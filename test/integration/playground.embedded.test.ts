import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.js';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import { InProcessCoordinator } from '../../src/coord/memory.js';
import { silentLogger } from '../../src/log.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import { type RunningPlayground, startPlayground } from '../../src/playground/start.js';
import { scheduledJobs } from '../../src/scheduler/jobs.js';
import type { Database } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { openEmbedded } from '../../src/store/pglite.js';
import { PLAYBOOKS_DIR } from '../support/harness.js';

/**
 * `npm start` as a new user runs it: the embedded database, which has a
 * single connection. A scheduled job once held that connection in a
 * transaction while its own queries waited for it, and the whole bot stopped
 * (no due work, no commands, no shutdown) at the first scheduled tick.
 */

let db: Database;
let dataDir: string;
let playground: RunningPlayground;

const within = <T>(ms: number, what: string, work: Promise<T>) =>
  Promise.race([
    work,
    new Promise<never>((_, fail) =>
      setTimeout(() => fail(new Error(`${what} did not finish within ${ms} ms`)), ms).unref(),
    ),
  ]);

beforeAll(async () => {
  db = await openEmbedded();
  await migrate(db);
  const { config } = await loadConfigFile(exampleConfigPath, {}, { isExample: true });
  const { playbooks } = await loadPlaybooks(PLAYBOOKS_DIR);
  dataDir = await mkdtemp(join(tmpdir(), 'playground-embedded-'));
  playground = await startPlayground({
    env: parseEnv({ PORT: '0', DATA_DIR: dataDir }),
    config,
    playbooks,
    db,
    coord: new InProcessCoordinator(),
    log: silentLogger,
  });
});

afterAll(async () => {
  await playground?.stop();
  await db?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the playground on the embedded database', () => {
  it('runs every scheduled job to the end, and the database answers afterwards', async () => {
    const { deps, worker } = playground.bot;
    const jobs = scheduledJobs(deps!, worker!).filter((job) => job.name !== 'due-work');
    expect(jobs.map((j) => j.name)).toContain('housekeeping');
    for (const job of jobs) await within(20_000, `the ${job.name} job`, Promise.resolve(job.run()));
    await within(2_000, 'a query after the jobs', db.query('SELECT 1'));
  });
});
