import type { Work } from '../../store/work.js';

/**
 * What a work handler reports. `completed` means it marked the item done in
 * its own transaction (with the effects it made); otherwise the worker marks
 * it done with `done`, or puts it back to run at `retryAt`.
 */
export type WorkResult =
  { completed: true } | { done: string } | { retryAt: Date; reason: string; countAttempt?: boolean };

export type WorkHandler = (work: Work, worker: string) => Promise<WorkResult>;
