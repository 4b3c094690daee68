import { changeExtras } from '../changeSnapshot.js';
import type { Incident } from '../../domain/incident.js';
import { SYSTEM_ACTOR, timelineEvent } from '../../domain/timeline.js';
import { retryAfterOf } from '../../slackApi/errors.js';
import { placeFailed, placedAfterFailures } from '../../notify/messages.js';
import type { Transaction } from '../../store/db.js';
import { getIncident, lockIncident } from '../../store/incidents.js';
import {
  readPlacement,
  recordChannel,
  recordChannelAsked,
  recordInvited,
  recordMessage,
  recordPinned,
  recordPlaced,
} from '../../store/placement.js';
import { isRenderBehind, recordRendered } from '../../store/renders.js';
import { appendTimelineEvent } from '../../store/timeline.js';
import { type NewWork, completeWork, hurryWaiting, scheduleWork } from '../../store/work.js';
import type { AppDeps } from '../deps.js';
import { loadSnapshot, snapshotOf } from '../snapshot.js';
import { levelClockWork, levelWork } from './escalation.js';
import { initialLevel } from '../../domain/escalation.js';
import { enqueueStatusUpdate } from './notifications.js';
import { type WorkOf, type WorkPayloadInput, newWork } from './payloads.js';
import type { WorkResult } from './types.js';
import { moveWork, stormChannelFor } from './storm.js';
import { NOT_PLACED_YET } from './threadPost.js';
import { presentProps } from '../../domain/defined.js';

/**
 * Placing an incident: making it visible in Slack. Opening commits the
 * incident with one `place` item; this work does the Slack side, step by
 * step, each step's result recorded on the incident so a retry (after a
 * failure, a lost answer or a crash) skips what is done:
 *
 *   channel (created, or adopted when an earlier attempt made it) → invite
 *   the opener → live message (found by its metadata key when an earlier
 *   attempt posted it) → pin → placed.
 *
 * The rule for everything that speaks about the incident: **nobody is paged
 * and no stakeholder is told about an incident nobody can see.** Level 1's
 * page, the escalation clock for level 2 and the stakeholders' "opened"
 * update are all scheduled by the last step, in the transaction that marks
 * the incident placed; the escalation clock therefore starts when the
 * incident is placed, not when it was committed. Thread posts (deadline
 * reminders, pages in the thread) wait for the live message without counting
 * failed attempts.
 *
 * Failures are retried with backoff for as long as it takes; after
 * PLACE_FAILED_AFTER attempts the opener is told by direct message and the
 * timeline records `incident.place_failed`, once; when the incident is
 * finally placed the opener is told where.
 */
export const PLACE_FAILED_AFTER = 3;
const BACKOFF_MS = [1_000, 5_000, 15_000, 30_000, 60_000, 120_000, 300_000];

type PlacePayload = WorkPayloadInput<'place'>;

/** The outcome of a try Slack asked to wait (429): not a failure, and the opener is told the channel is delayed. */
export const RATE_LIMITED = 'rate limited';

/** The place work for a new incident, committed with it. */
export function placeWork(incident: Incident, at: Date, payload: PlacePayload): NewWork {
  return newWork('place', payload, { incidentId: incident.id, dueAt: at, dedupeKey: placeKey(incident.id) });
}

export const placeKey = (incidentId: number) => `place:${incidentId}`;

/** Unique to this incident across databases: an id and an opening instant. */
export const markerOf = (incident: Incident) => `ib:${incident.id}:${incident.openedAt.getTime()}`;

export function incidentChannelName(prefix: string, number: number, playbookId: string): string {
  return `${prefix}-${number}-${playbookId}`
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-')
    .slice(0, 80);
}

/**
 * Creates the incident's own channel, or adopts the one an earlier attempt made (`askedBefore`: the name it asked
 * for, recorded before asking, so a lost answer is found again by its marker).
 */
export function makeIncidentChannel(deps: AppDeps, incident: Incident, askedBefore: string | null | undefined) {
  return deps.slackOnce.createIncidentChannel({
    name: incidentChannelName(deps.config.channel_prefix, incident.number, incident.playbookId),
    key: incident.key,
    title: incident.title,
    marker: markerOf(incident),
    ...presentProps({ askedBefore }),
    asking: (name) => recordChannelAsked(deps.db, incident.id, name),
  });
}

export async function placeDue(deps: AppDeps, work: WorkOf<'place'>, worker: string): Promise<WorkResult> {
  const { payload } = work;
  const incident = work.incidentId === null ? undefined : await getIncident(deps.db, work.incidentId);
  const placement = incident && (await readPlacement(deps.db, incident.id));
  if (!incident || !placement) return { done: 'no incident' };
  if (placement.placedAt) return { done: 'already placed' };
  let channelId = placement.channelId;
  let messageTs = placement.messageTs;
  let channelName: string | undefined;
  let stormed: boolean;
  try {
    // In a storm a dedicated incident waits in the shared storm channel's thread for its own channel (storm.ts).
    const storm = !channelId && payload.dedicated ? await stormChannelFor(deps, incident) : undefined;
    if (storm) channelId = await recordChannel(deps.db, incident.id, storm);
    if (!channelId) {
      const made = await makeIncidentChannel(deps, incident, placement.channelAsked);
      channelId = await recordChannel(deps.db, incident.id, made.channelId);
      channelName = made.name;
    }
    stormed = payload.dedicated && channelId === deps.config.storm.channel;
    if (payload.dedicated && !stormed && !placement.invitedAt) {
      const { problems } = await deps.slackOnce.invite(channelId, [payload.opener]);
      if (problems.length) deps.log.warn({ incident: incident.key, problems }, 'could not invite the opener');
      await recordInvited(deps.db, incident.id, deps.clock.now());
    }
    if (!messageTs) {
      // A first try renders from the incident in hand (and the change that opened it, if one did).
      const snapshot =
        work.attempts > 1
          ? await loadSnapshot(deps, incident.id)
          : snapshotOf(deps, { ...incident, channelId }, [], undefined, await changeExtras(deps.db, incident));
      const shown = { ...(snapshot ?? snapshotOf(deps, incident, [])), incident: { ...incident, channelId } };
      const posted = await deps.slackOnce.postIncidentMessage(channelId, shown, {
        key: `live:${markerOf(incident)}`,
        lookFirst: work.attempts > 1,
      });
      messageTs = await recordMessage(deps.db, incident.id, posted.ts);
      // A message an earlier attempt posted may show less: it stays behind, and is rendered once placed.
      if (!posted.reused) await recordRendered(deps.db, incident.id, shown.incident.version);
    }
    if (!placement.pinnedAt && !stormed) {
      const { problem } = await deps.slackOnce.pin(channelId, messageTs);
      if (problem) deps.log.warn({ incident: incident.key, problem }, 'could not pin the incident message');
      await recordPinned(deps.db, incident.id, deps.clock.now());
    }
  } catch (error) {
    return failed(deps, work, incident, payload, error);
  }
  await placed(deps, work, worker, incident, payload, { channelId, messageTs, channelName, stormed });
  return { completed: true };
}

/** The last step: marks it placed and starts what speaks about it (pages, clocks, stakeholders), in one transaction. */
async function placed(
  deps: AppDeps,
  work: WorkOf<'place'>,
  worker: string,
  incident: Incident,
  payload: PlacePayload,
  where: { channelId: string; messageTs: string; channelName: string | undefined; stormed: boolean },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    if (!(await recordPlaced(tx, incident.id, now))) {
      await completeWork(tx, work.id, worker, now, 'already placed');
      return;
    }
    const current = await lockIncident(tx, incident.id);
    if (current && current.status !== 'resolved') {
      // The escalation starts now: level 1 is paged, and its clock starts when that page goes out (work/page.ts).
      // (Escalated by hand meanwhile: that level's page was scheduled then, and has waited for this moment.)
      // Acknowledged meanwhile (`/incident ack INC-7` while Slack failed): no page, the clock that still runs.
      // The first level is the playbook's start level (document 000's categories: performance starts at level 2).
      const first = initialLevel(current);
      if (current.escalationLevel === first && current.escalationCycle === 0)
        await scheduleWork(
          tx,
          current.status === 'open'
            ? levelWork(current, first, 0, 'opened', now)
            : levelClockWork(current, first, 0, 'opened', now),
          now,
        );
      await enqueueStatusUpdate(tx, deps, current, { kind: 'opened' }, now);
    }
    const told = work.attempts > PLACE_FAILED_AFTER;
    await appendTimelineEvent(tx, {
      incidentId: incident.id,
      occurredAt: now,
      actor: SYSTEM_ACTOR,
      ...timelineEvent('incident.placed', {
        channelId: where.channelId,
        messageTs: where.messageTs,
        ...presentProps({ channelName: where.channelName }),
        attempts: work.attempts,
        afterMs: now.getTime() - incident.openedAt.getTime(),
        ...(where.stormed ? { storm: true } : {}),
      }),
    });
    if (where.stormed) await scheduleWork(tx, [moveWork(incident, payload.opener, now)], now);
    // Thread posts that came while it was being placed go out now, not at their next look.
    await hurryWaiting(tx, incident.id, NOT_PLACED_YET, now);
    if (told)
      await tellOpener(tx, incident, payload, 'placed', placedAfterFailures(incident.key, where.channelId), now);
    await completeWork(tx, work.id, worker, now, 'placed');
  });
  deps.log.info({ incident: incident.key, channel: where.channelId, attempts: work.attempts }, 'incident placed');
  deps.wake();
  // Anything that changed while it was being placed (an ack typed meanwhile) shows in the live message.
  if (await isRenderBehind(deps.db, incident.id)) await deps.live.refresh(incident.id);
}

/** A step failed: try again later; after PLACE_FAILED_AFTER attempts, say so (once) in the timeline and to the opener. */
async function failed(
  deps: AppDeps,
  work: WorkOf<'place'>,
  incident: Incident,
  payload: PlacePayload,
  error: unknown,
): Promise<WorkResult> {
  const now = deps.clock.now();
  const waitSeconds = retryAfterOf(error);
  if (waitSeconds !== undefined)
    return { retryAt: new Date(now.getTime() + waitSeconds * 1_000), reason: RATE_LIMITED, countAttempt: false };
  const message = error instanceof Error ? error.message : String(error);
  deps.log.warn(
    { err: error, incident: incident.key, attempt: work.attempts },
    'could not place the incident; will retry',
  );
  if (work.attempts === PLACE_FAILED_AFTER) {
    await deps.db.transaction(async (tx) => {
      await appendTimelineEvent(tx, {
        incidentId: incident.id,
        occurredAt: now,
        actor: SYSTEM_ACTOR,
        ...timelineEvent('incident.place_failed', { attempts: work.attempts, error: message.slice(0, 300) }),
      });
      await tellOpener(tx, incident, payload, 'failed', placeFailed(incident.key, incident.title, work.attempts), now);
    });
    deps.wake();
  }
  const backoff = BACKOFF_MS[Math.min(work.attempts - 1, BACKOFF_MS.length - 1)]!;
  return { retryAt: new Date(now.getTime() + backoff), reason: `failed: ${message}`.slice(0, 500) };
}

async function tellOpener(
  tx: Transaction,
  incident: Incident,
  payload: PlacePayload,
  what: string,
  message: ReturnType<typeof placeFailed>,
  now: Date,
): Promise<void> {
  if (payload.opener === SYSTEM_ACTOR) return;
  await scheduleWork(
    tx,
    [
      newWork(
        'deliver',
        { to: payload.opener, message },
        { incidentId: incident.id, dueAt: now, dedupeKey: `place-${what}:${incident.id}` },
      ),
    ],
    now,
  );
}
