import { deliver } from '../../notify/deliver.js';
import { SYSTEM_ACTOR } from '../../domain/timeline.js';
import { getIncident, lockIncident } from '../../store/incidents.js';
import { findStakeholderThread, saveStakeholderThread } from '../../store/stakeholderThreads.js';
import { appendTimelineEvent } from '../../store/timeline.js';
import { completeWork } from '../../store/work.js';
import type { AppDeps } from '../deps.js';
import { meetDeadlinesIn } from './deadlines.js';
import type { WorkOf } from './payloads.js';
import type { WorkResult } from './types.js';
import { waitForPlacement } from './threadPost.js';
import { paceDelivery, pacingOf, postDigest } from './pacedDigest.js';
import { presentProps } from '../../domain/defined.js';

/** Sends one message the bot decided to send, once; records it when it is a notification. */
export async function deliverDue(deps: AppDeps, work: WorkOf<'deliver'>, worker: string): Promise<WorkResult> {
  const now = deps.clock.now();
  const { payload, incidentId } = work;
  // A direct message with nothing to record (a page) needs no incident row: one query fewer per person paged.
  const needsIncident = payload.thread !== undefined || payload.record !== undefined || payload.meets !== undefined;
  const incident = needsIncident && incidentId !== null ? await getIncident(deps.db, incidentId) : undefined;
  let to = payload.to;
  let threadTs: string | undefined;
  if (payload.thread === 'incident') {
    // Not placed yet (Slack failing as it opened): waits, without counting failed attempts.
    if (!incident?.channelId || !incident.messageTs) return waitForPlacement(work, now);
    to = incident.channelId;
    threadTs = incident.messageTs;
  }
  const pacing = pacingOf(deps, work);
  if (pacing) {
    const paced = await paceDelivery(deps, work, worker, pacing);
    if (paced.how === 'handled') return paced.result;
    if (paced.how === 'digest') return postDigest(deps, paced.updates, worker, pacing);
  }
  if (payload.thread === 'stakeholder' && incident && to)
    threadTs = await findStakeholderThread(deps.db, incident.id, to);
  if (!to) return { done: 'no destination' };
  const delivered = await deliver(
    deps.slackApi,
    { to, ...presentProps({ threadTs }), message: payload.message, key: `work-${work.id}` },
    { retried: work.attempts > 1 },
  );
  const outcome = delivered.reused ? 'already delivered' : 'delivered';
  const firstInStakeholderThread = payload.thread === 'stakeholder' && !threadTs;
  if (!incident || (!firstInStakeholderThread && !payload.record && !payload.meets)) {
    // Nothing to write with it: one statement, no transaction.
    await completeWork(deps.db, work.id, worker, now, outcome);
    return { completed: true };
  }
  const met = await deps.db.transaction(async (tx) => {
    // Fenced first: a worker whose lease ran out (another took the delivery over) records nothing.
    if (!(await completeWork(tx, work.id, worker, now, outcome))) return 0;
    // Meeting a deadline locks the incident's row (FOR UPDATE). Take it before the timeline insert, whose foreign key
    // takes the row's KEY SHARE lock: two transactions holding KEY SHARE and each upgrading deadlock (seen in CI).
    if (payload.meets) await lockIncident(tx, incident.id);
    if (firstInStakeholderThread) await saveStakeholderThread(tx, incident.id, to, delivered.ts);
    if (payload.record) {
      await appendTimelineEvent(tx, {
        incidentId: incident.id,
        occurredAt: now,
        actor: SYSTEM_ACTOR,
        // The event the payload carries, written as the work was scheduled (parsed with the payload).
        kind: payload.record.kind,
        data: { ...payload.record.data, ts: delivered.ts },
      });
    }
    return payload.meets ? await meetDeadlinesIn(tx, incident.id, { event: payload.meets }, now) : 0;
  });
  if (met > 0) await deps.live.refresh(incident.id);
  return { completed: true };
}
