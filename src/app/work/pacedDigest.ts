import { deliver } from '../../notify/deliver.js';
import type { OutgoingMessage } from '../../notify/deliver.js';
import { pageDigest, stakeholderDigest } from '../../notify/messages.js';
import { SYSTEM_ACTOR } from '../../domain/timeline.js';
import { lockIncident } from '../../store/incidents.js';
import {
  type Paced as PacedKind,
  lockPacing,
  lockUpdates,
  recordPost,
  releaseUpdates,
  stillHeld,
  takeWaitingUpdates,
} from '../../store/stakeholderPacing.js';
import { retryingDeadlocks } from '../../store/db.js';
import { appendTimelineEvent } from '../../store/timeline.js';
import { completeWork } from '../../store/work.js';
import type { AppDeps } from '../deps.js';
import { meetDeadlinesIn } from './deadlines.js';
import { WorkPayloads, type WorkOf } from './payloads.js';
import type { WorkResult } from './types.js';

/** A digest carries at most this many updates (a short line each, packed into about ten sections: messages.ts). */
const DIGEST_MAX = 100;
/** How long updates taken for a digest stay the digest's: past it (the bot died posting) they run on their own. */
const DIGEST_HOLD_MS = 60_000;

/** What pacing decided for one delivery. */
export type Paced =
  { how: 'alone' } | { how: 'handled'; result: WorkResult } | { how: 'digest'; updates: Array<WorkOf<'deliver'>> };

/** What is paced: stakeholder updates per destination, or pages by direct message per person. */
export interface Pacing {
  kind: PacedKind;
  to: string;
  intervalMs: number;
}

/** The pacing of a delivery, if it is paced: a stakeholder update, or a page by direct message. */
export function pacingOf(deps: AppDeps, work: WorkOf<'deliver'>): Pacing | undefined {
  const { to, thread, page } = work.payload;
  if (!to || work.incidentId === null) return undefined;
  if (thread === 'stakeholder') return { kind: 'stakeholder', to, intervalMs: deps.config.stakeholders.min_interval };
  if (page && thread === undefined) return { kind: 'page', to, intervalMs: deps.config.paging.dm_min_interval };
  return undefined;
}

/** A page's pacing row is its own, apart from the stakeholder updates the same person may get. */
const pacingRow = ({ kind, to }: Pacing) => (kind === 'page' ? `page:${to}` : to);

/**
 * Paces deliveries per destination: at most one per interval (`stakeholders.min_interval`, `paging.dm_min_interval`).
 * One that comes sooner waits for the next slot (not counted as a failed attempt); at that slot, the first of the
 * waiting ones to run takes every other due one of its kind for the destination and they go out as one digest
 * post. Decided under the destination's pacing row, so replicas take turns.
 */
export async function paceDelivery(
  deps: AppDeps,
  work: WorkOf<'deliver'>,
  worker: string,
  pacing: Pacing,
): Promise<Paced> {
  const interval = pacing.intervalMs;
  if (interval <= 0) return { how: 'alone' };
  const now = deps.clock.now();
  const owner = digestOwner(worker, work.id);
  const row = pacingRow(pacing);
  return deps.db.transaction(async (tx): Promise<Paced> => {
    const last = await lockPacing(tx, row);
    // Taken by another delivery's digest while it waited for the row: that digest carries it.
    if (!(await stillHeld(tx, work.id, worker))) return { how: 'handled', result: { completed: true } };
    if (last && last.getTime() + interval > now.getTime()) {
      const retryAt = new Date(last.getTime() + interval);
      return { how: 'handled', result: { retryAt, reason: 'paced: the destination had a post', countAttempt: false } };
    }
    await recordPost(tx, row, now);
    const limit = DIGEST_MAX - 1;
    const taken = await takeWaitingUpdates(
      tx,
      pacing.kind,
      pacing.to,
      work.id,
      worker,
      owner,
      now,
      DIGEST_HOLD_MS,
      limit,
    );
    if (taken.length === 0) return { how: 'alone' };
    const updates = taken.flatMap((item) => {
      const payload = WorkPayloads.deliver.safeParse(item.payload);
      return payload.success ? [{ ...item, payload: payload.data }] : [];
    });
    return { how: 'digest', updates: [work, ...updates] };
  });
}

/**
 * Posts the waiting deliveries as one message at the top of the destination (a person's DM, for pages) and records each in its incident's
 * timeline with the digest's ts; the first is the worker's own item, the others the digest's.
 */
export async function postDigest(
  deps: AppDeps,
  updates: Array<WorkOf<'deliver'>>,
  worker: string,
  pacing: Pacing,
): Promise<WorkResult> {
  const [own, ...taken] = updates;
  if (!own) return { done: 'nothing to post' };
  const { to } = pacing;
  const owner = digestOwner(worker, own.id);
  const incidents = new Set(updates.map((update) => update.incidentId)).size;
  const message: OutgoingMessage =
    pacing.kind === 'page'
      ? pageDigest(updates.map(({ payload }) => ({ message: payload.message, line: payload.line })))
      : stakeholderDigest(
          updates.map((update) => update.payload.message),
          incidents,
        );
  let ts: string;
  try {
    ({ ts } = await deliver(deps.slackApi, { to, message, key: `digest-${own.id}` }, { retried: own.attempts > 1 }));
  } catch (error) {
    // The others run on their own again; the worker retries this one (and says why).
    await releaseUpdates(
      deps.db,
      taken.map((update) => update.id),
      owner,
    );
    throw error;
  }
  const now = deps.clock.now();
  // The post is out: its record must not be lost to a deadlock with another writer of these rows (tried again).
  const met = await retryingDeadlocks(deps.db, async (tx) => {
    // Meeting a deadline locks the incident's row: all of them first, in one order, so two digests cannot deadlock;
    // then the items, in id order.
    const meeting = updates.flatMap((update) => (update.payload.meets && update.incidentId ? [update.incidentId] : []));
    for (const incidentId of [...new Set(meeting)].sort((a, b) => a - b)) await lockIncident(tx, incidentId);
    await lockUpdates(
      tx,
      updates.map((update) => update.id),
    );
    const refreshed = new Set<number>();
    for (const update of updates) {
      const holder = update === own ? worker : owner;
      if (!(await completeWork(tx, update.id, holder, now, `delivered in a digest of ${updates.length}`))) continue;
      const incidentId = update.incidentId;
      const { record, meets } = update.payload;
      if (incidentId === null) continue;
      if (record) {
        await appendTimelineEvent(tx, {
          incidentId,
          occurredAt: now,
          actor: SYSTEM_ACTOR,
          kind: record.kind,
          data: { ...record.data, ts, digest: updates.length },
        });
      }
      if (meets && (await meetDeadlinesIn(tx, incidentId, { event: meets }, now)) > 0) refreshed.add(incidentId);
    }
    return refreshed;
  });
  for (const incidentId of met) await deps.live.refresh(incidentId);
  return { completed: true };
}

const digestOwner = (worker: string, id: number) => `${worker}/digest-${id}`;
