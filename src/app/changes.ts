import type { Incident } from '../domain/incident.js';
import type { Change } from '../store/incidents.js';
import type { AppDeps } from './deps.js';
import type { ThreadPost } from './ports.js';
import { NO_REPLY, type Reply, text } from './replies.js';

/**
 * What follows every committed change: count it, re-render the live message,
 * say it in the thread. A duplicate request says nothing; a change the guard
 * held back says why.
 */
export async function settle(
  deps: AppDeps,
  change: Change,
  done: { post?: ThreadPost; reply: string | Reply; refusal: (incident: Incident) => string | Reply },
): Promise<Reply> {
  if (!change.changed) return change.duplicate ? NO_REPLY : asReply(done.refusal(change.incident));
  await afterChange(deps, change.incident, done.post);
  return asReply(done.reply);
}

const asReply = (reply: string | Reply): Reply => (typeof reply === 'string' ? text(reply) : reply);

export async function afterChange(deps: AppDeps, incident: Incident, post?: ThreadPost): Promise<void> {
  const { channelId, messageTs } = incident;
  await Promise.all([
    deps.live.refresh(incident.id),
    post && channelId && messageTs
      ? deps.slack
          .postInThread(channelId, messageTs, post)
          .catch((error: unknown) => deps.log.warn({ err: error, incident: incident.key }, 'thread post failed'))
      : undefined,
  ]);
}
