import type { ThreadPost } from '../ports.js';
import { getIncident } from '../../store/incidents.js';
import { type NewWork, type Work, scheduleWork } from '../../store/work.js';
import type { AppDeps } from '../deps.js';
import type { WorkResult } from './types.js';

/** Date fields of thread posts, revived from the JSON the work payload keeps. */
const DATE_FIELDS = ['startsAt', 'expiresAt'] as const;

/**
 * A post in an incident's thread that must wait for the incident to be placed (an alert's details when Slack
 * failed as its incident opened): it goes out once the live message exists.
 */
export function threadPostWork(incidentId: number, post: ThreadPost, at: Date, key: string): NewWork {
  return {
    kind: 'thread.post',
    incidentId,
    dueAt: at,
    lane: `thread:${incidentId}`,
    dedupeKey: `thread.post:${incidentId}:${key}`,
    payload: { post },
  };
}

export async function threadPostDue(deps: AppDeps, work: Work): Promise<WorkResult> {
  const incident = await getIncident(deps.db, work.incidentId!);
  if (!incident) return { done: 'no incident' };
  const now = deps.clock.now();
  if (!incident.channelId || !incident.messageTs) return waitForPlacement(work, now);
  const post = { ...(work.payload.post as Record<string, unknown>) };
  for (const field of DATE_FIELDS) if (typeof post[field] === 'string') post[field] = new Date(post[field]);
  await deps.slack.postInThread(incident.channelId, incident.messageTs, post as unknown as ThreadPost);
  return { done: 'posted' };
}

/** Not placed yet: look again later, sooner at first, never counted as a failed attempt. */
export function waitForPlacement(work: Work, now: Date): WorkResult {
  const waited = Math.max(0, now.getTime() - work.dueAt.getTime());
  return {
    retryAt: new Date(now.getTime() + Math.min(60_000, Math.max(2_000, waited / 4))),
    reason: 'the incident is not placed yet',
    countAttempt: false,
  };
}

/** Posts in a just-opened incident's thread now if it is placed, or once it is (durably). */
export async function postWhenPlaced(
  deps: AppDeps,
  opened: { incident: { id: number }; where?: { channelId: string; messageTs: string } },
  post: ThreadPost,
  key: string,
): Promise<void> {
  if (opened.where) {
    await deps.slack.postInThread(opened.where.channelId, opened.where.messageTs, post);
    return;
  }
  const now = deps.clock.now();
  await scheduleWork(deps.db, [threadPostWork(opened.incident.id, post, now, key)], now);
  deps.wake();
}
