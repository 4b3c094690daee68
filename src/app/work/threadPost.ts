import { mergeTallies } from '../../domain/alerts.js';
import { getIncident } from '../../store/incidents.js';
import { completeCarriedPosts, followingJoinedPosts } from '../../store/joinedPosts.js';
import { type NewWork, type Work, scheduleWork } from '../../store/work.js';
import { type WorkOf, type WorkPayloadInput, WorkPayloads, newWork } from './payloads.js';
import type { AppDeps } from '../deps.js';
import type { WorkResult } from './types.js';
import { definedProps } from '../../domain/defined.js';

/** The thread posts that can wait for their incident to be placed. */
export type DeferredPost = WorkPayloadInput<'thread.post'>['post'];

/**
 * A post in an incident's thread that must wait for the incident to be placed (an alert's details when Slack
 * failed as its incident opened): it goes out once the live message exists.
 */
export function threadPostWork(incidentId: number, post: DeferredPost, at: Date, key: string): NewWork {
  return newWork(
    'thread.post',
    { post },
    { incidentId, dueAt: at, lane: `thread:${incidentId}`, dedupeKey: `thread.post:${incidentId}:${key}` },
  );
}

export async function threadPostDue(deps: AppDeps, work: WorkOf<'thread.post'>): Promise<WorkResult> {
  const incident = work.incidentId === null ? undefined : await getIncident(deps.db, work.incidentId);
  if (!incident) return { done: 'no incident' };
  const now = deps.clock.now();
  if (!incident.channelId || !incident.messageTs) return waitForPlacement(work, now);
  const { post, carried } = await withWaitingJoins(deps, work, now);
  // Parsed: its dates are Dates again.
  await deps.slack.postInThread(incident.channelId, incident.messageTs, post);
  if (carried.length === 0) return { done: 'posted' };
  await completeCarriedPosts(deps.db, carried, deps.clock.now(), `carried by the post of work ${work.id}`);
  return { done: `posted, with ${carried.length} more batches of joined alerts` };
}

/** At most this many batches of joined alerts are said in one line. */
const JOINED_MAX = 100;

/**
 * An `alerts-joined` line takes the batches queued right behind it in the thread (a storm's Alertmanager requests
 * each leave one): one line says them all, each alert still in the timeline as its own `alert.joined`.
 */
async function withWaitingJoins(
  deps: AppDeps,
  work: WorkOf<'thread.post'>,
  now: Date,
): Promise<{ post: DeferredPost; carried: number[] }> {
  const own = work.payload.post;
  if (own.kind !== 'alerts-joined' || work.lane === null) return { post: own, carried: [] };
  const joined = [own];
  const carried: number[] = [];
  for (const item of await followingJoinedPosts(deps.db, work.lane, work.id, now, JOINED_MAX - 1)) {
    const parsed = WorkPayloads['thread.post'].safeParse(item.payload);
    if (!parsed.success || parsed.data.post.kind !== 'alerts-joined') break;
    joined.push(parsed.data.post);
    carried.push(item.id);
  }
  const cap = joined.find((post) => post.cap)?.cap;
  const post: DeferredPost = {
    kind: 'alerts-joined',
    names: mergeTallies(joined.map((post) => post.names)),
    folded: joined.reduce((sum, post) => sum + post.folded, 0),
    ...definedProps({ cap }),
  };
  return { post, carried };
}

/** The outcome of an item that waits for its incident's placement; placing it makes them due at once. */
export const NOT_PLACED_YET = 'the incident is not placed yet';

/** Not placed yet: look again later, sooner at first, never counted as a failed attempt. */
export function waitForPlacement(work: Pick<Work, 'dueAt'>, now: Date): WorkResult {
  const waited = Math.max(0, now.getTime() - work.dueAt.getTime());
  return {
    retryAt: new Date(now.getTime() + Math.min(60_000, Math.max(2_000, waited / 4))),
    reason: NOT_PLACED_YET,
    countAttempt: false,
  };
}

/** Posts in a just-opened incident's thread now if it is placed, or once it is (durably). */
export async function postWhenPlaced(
  deps: AppDeps,
  opened: { incident: { id: number }; where?: { channelId: string; messageTs: string } },
  post: DeferredPost,
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
