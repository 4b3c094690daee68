import type { AppDeps } from '../app/deps.js';
import { housekeeping, refreshTokensDue, runScheduledGroup } from '../app/scheduled.js';
import { sweepInterruptedRuns } from '../app/runOwner.js';
import { planAllHandoffs } from '../app/work/handoff.js';
import { withLock } from '../coord/coordinator.js';
import { claimTick } from '../store/jobs.js';
import type { CronJob } from './cron.js';
import type { DueWorker } from './worker.js';

/**
 * One runner at a time across replicas: a Redis lock when there is Redis, a
 * PostgreSQL advisory lock (held by a transaction for the run) when there is
 * not. Together with the tick claim, each tick runs once and never overlaps.
 */
async function exclusive(
  deps: Pick<AppDeps, 'coord' | 'db'>,
  name: string,
  ttlMs: number,
  run: () => Promise<unknown>,
): Promise<void> {
  // The embedded database has one connection: a transaction held around `run` would make run's own
  // queries wait for it forever. Embedded also means one process, so the coordinator's lock suffices.
  if (deps.coord.kind === 'redis' || deps.db.kind === 'embedded') {
    await withLock(deps.coord, `job:${name}`, { ttlMs, waitMs: 0 }, run);
    return;
  }
  await deps.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_xact_lock(hashtext('incidentbot.job:' || $1)) AS locked`,
      [name],
    );
    if (rows[0]?.locked) await run();
  });
}

/** A job whose every tick runs on one replica only. */
function singleRunner(
  deps: AppDeps,
  name: string,
  schedule: string,
  ttlMs: number,
  run: () => Promise<unknown>,
): CronJob {
  return {
    name,
    schedule,
    run: async () => {
      const tick = new Date(Math.floor(deps.clock.now().getTime() / 1000) * 1000);
      if (!(await claimTick(deps.db, name, tick))) return;
      await exclusive(deps, name, ttlMs, run);
    },
  };
}

/**
 * Each second, the worker looks for work that fell due. Not awaited: a job never overlaps itself, and a drain lasts
 * as long as items are in hand, so awaiting it would stop the looking exactly when the worker is busiest.
 */
export const dueWorkJob = (worker: Pick<DueWorker, 'nudge'>): CronJob => ({
  name: 'due-work',
  schedule: '* * * * * *',
  run: () => Promise.resolve(worker.nudge()),
});

/** Every scheduled job of the bot: due work each second, token refresh, scheduled check groups, housekeeping. */
export function scheduledJobs(deps: AppDeps, worker: DueWorker): CronJob[] {
  const jobs: CronJob[] = [
    // Due work needs no tick claim: claiming rows with SKIP LOCKED already shares it out.
    dueWorkJob(worker),
    singleRunner(deps, 'housekeeping', '*/5 * * * *', 60_000, () => housekeeping(deps)),
    // Runs whose bot process died: every replica looks; the guarded move interrupts each once.
    { name: 'runs.sweep', schedule: '*/10 * * * * *', run: () => sweepInterruptedRuns(deps) },
  ];
  if (Object.keys(deps.config.schedules).length > 0)
    // Each handoff plans the next; this looks again in case a plan was lost (a config change, a crash between).
    jobs.push(singleRunner(deps, 'schedules.plan', '*/5 * * * *', 60_000, () => planAllHandoffs(deps)));
  if (deps.tokens.providers().length > 0) {
    const everyMinutes = Math.max(
      1,
      Math.round(Math.min(...Object.values(deps.config.tokens).map((t) => t.proactive.every)) / 60_000),
    );
    jobs.push(
      singleRunner(
        deps,
        'tokens.proactive',
        everyMinutes >= 60 ? '0 * * * *' : `*/${everyMinutes} * * * *`,
        5 * 60_000,
        () => refreshTokensDue(deps),
      ),
    );
  }
  for (const [name, group] of Object.entries(deps.config.groups)) {
    if (!group.schedule) continue;
    jobs.push(
      singleRunner(deps, `group:${name}`, group.schedule, 10 * 60_000, () =>
        runScheduledGroup(deps, name, group, deps.clock.now()),
      ),
    );
  }
  return jobs;
}
