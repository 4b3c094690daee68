// The order the due-work worker runs what it claimed: each item read once, then chained behind its incident's items.
import type { z } from 'zod';
import type { ParsedWork, WorkHandler } from '../app/work/types.js';
import { type SlackPriority, isPaging } from '../slackApi/priority.js';
import type { Work } from '../store/work.js';

/**
 * A claimed item, read once as it is claimed: `unknown` when no handler takes its kind, `unreadable` when its
 * payload does not parse with its handler's schema, else `ready` with the parsed payload and its Slack priority.
 */
export type ClaimedWork =
  | { work: Work; state: 'unknown' }
  | { work: Work; state: 'unreadable'; error: z.ZodError }
  | { work: Work; state: 'ready'; handler: WorkHandler; parsed: ParsedWork<unknown>; priority: SlackPriority };

/** Parses the item's payload with the schema of its kind's handler; the one place an item's payload is read. */
export function readClaimed(handlers: Readonly<Record<string, WorkHandler>>, work: Work): ClaimedWork {
  const handler = handlers[work.kind];
  if (!handler) return { work, state: 'unknown' };
  const payload = handler.payload.safeParse(work.payload);
  if (!payload.success) return { work, state: 'unreadable', error: payload.error };
  const parsed = { ...work, payload: payload.data };
  return { work, state: 'ready', handler, parsed, priority: handler.priority?.(parsed) ?? 'thread' };
}

/** What the item's Slack calls are for (its handler says, from its parsed payload); thread details by default. */
export function priorityOf(claimed: ClaimedWork): SlackPriority {
  return claimed.state === 'ready' ? claimed.priority : 'thread';
}

/**
 * The chain an item waits in: its incident's (its own, without an incident), with the incident's pages in a chain
 * of their own, so a thread post waiting for a busy channel's Slack budget never holds up a page.
 */
export function chainOf(claimed: ClaimedWork): string {
  const { work } = claimed;
  return `${work.incidentId ?? `w${work.id}`}${isPaging(priorityOf(claimed)) ? ':page' : ''}`;
}

/** One item's turn in its chain: what it runs, and what follows it. */
export interface ChainTask {
  run(): Promise<void>;
  /** The run rejected; the chain goes on with its next task. */
  failed(error: unknown): void;
  /** After the run (or its failure), once the chain has let go of it. */
  settled(): void;
}

/** The tail of each chain: a task starts once the tasks before it in its chain have settled. */
export class Chains {
  private readonly tails = new Map<string, Promise<void>>();

  /** Queues the task at the end of its chain; resolves once it has settled. */
  append(chain: string, task: ChainTask): Promise<void> {
    const previous = this.tails.get(chain) ?? Promise.resolve();
    const next = previous
      .then(() => task.run())
      .catch((error: unknown) => task.failed(error))
      .finally(() => {
        if (this.tails.get(chain) === next) this.tails.delete(chain);
        task.settled();
      });
    this.tails.set(chain, next);
    return next;
  }
}
