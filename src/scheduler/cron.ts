import cron from 'node-cron';
import type { Logger } from '../log.js';

export interface CronJob {
  name: string;
  /** A cron expression (node-cron: 5 or 6 fields; 6 fields count seconds). */
  schedule: string;
  run: () => Promise<unknown>;
}

/**
 * node-cron only wakes the process; what runs, and whether this replica is the
 * one that runs it, is decided by each job (PostgreSQL claims, locks). A job
 * never overlaps itself within a process.
 */
export function startCron(jobs: readonly CronJob[], log: Logger): { stop(): Promise<void> } {
  const running = new Map<string, Promise<unknown>>();
  const tasks = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      () => {
        if (running.has(job.name)) return;
        const run = job
          .run()
          .catch((error: unknown) => log.warn({ err: error, job: job.name }, 'scheduled job failed'))
          .finally(() => running.delete(job.name));
        running.set(job.name, run);
      },
      { name: job.name, noOverlap: true, suppressMissedWarning: true },
    ),
  );
  return {
    async stop() {
      for (const task of tasks) await task.stop();
      await Promise.allSettled([...running.values()]);
    },
  };
}
