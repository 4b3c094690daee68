import type { z } from 'zod';
import type { SlackPriority } from '../../slackApi/priority.js';
import type { Work } from '../../store/work.js';

/**
 * What a work handler reports. `completed` means it marked the item done in
 * its own transaction (with the effects it made); otherwise the worker marks
 * it done with `done`, or puts it back to run at `retryAt`.
 */
export type WorkResult =
  { completed: true } | { done: string } | { retryAt: Date; reason: string; countAttempt?: boolean };

/** A claimed item whose payload was parsed with its kind's schema. */
export type ParsedWork<P> = Omit<Work, 'payload'> & { payload: P };

/**
 * A kind of scheduled work: the schema its payload is parsed with when an item is claimed, and the use case that
 * runs it with the parsed payload. An item whose payload does not parse never reaches `run`.
 */
export interface WorkHandler<P = unknown> {
  payload: z.ZodType<P>;
  // Method syntax (bivariant in its parameter) so a map of handlers of different payloads is one Record.
  run(work: ParsedWork<P>, worker: string): Promise<WorkResult>;
  /** What its Slack calls are for, when Slack's budget is short (slackApi/priority.ts); default thread details. */
  priority?(work: ParsedWork<P>): SlackPriority;
}
