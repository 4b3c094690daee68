import type { NewTimelineEvent } from '../domain/timeline.js';
import { atomically } from '../store/db.js';
import { claimRequest } from '../store/requests.js';
import { appendTimelineEvent } from '../store/timeline.js';
import type { Actor, AppDeps } from './deps.js';

/**
 * Writes one timeline event for a request, once: a retried request writes
 * nothing and returns false.
 */
export async function recordOnce(
  deps: Pick<AppDeps, 'db' | 'metrics'>,
  actor: Actor,
  event: Omit<NewTimelineEvent, 'actor'>,
): Promise<boolean> {
  const written = await atomically(deps.db, async (tx) => {
    if (actor.requestKey && !(await claimRequest(tx, actor.requestKey, event.occurredAt))) return false;
    await appendTimelineEvent(tx, { ...event, actor: actor.user });
    return true;
  });
  return written;
}
