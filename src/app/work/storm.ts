import type { Incident } from '../../domain/incident.js';
import { SYSTEM_ACTOR, timelineEvent } from '../../domain/timeline.js';
import { getIncident, lockIncident } from '../../store/incidents.js';
import { countOpenedBefore, countOpenedSince, readPlacement, recordMove } from '../../store/placement.js';
import { recordRendered } from '../../store/renders.js';
import { appendTimelineEvent } from '../../store/timeline.js';
import { type NewWork, completeWork } from '../../store/work.js';
import type { AppDeps } from '../deps.js';
import { loadSnapshot, snapshotOf } from '../snapshot.js';
import { type WorkOf, newWork } from './payloads.js';
import { makeIncidentChannel, markerOf } from './place.js';
import type { WorkResult } from './types.js';

/**
 * Storms. `conversations.create` is Tier 2 (about 20 a minute, shared by the workspace): in an alert storm it, not
 * the bot, would decide when a responder is paged, since pages wait for the incident to be visible. So beyond
 * `storm.new_channels_per_minute` incidents opened in the minute before it, an incident is placed as a thread of
 * the shared storm channel (its live message there, its pages in its thread: one post each, at a channel's pace),
 * and once no more than that many opened in the last minute (the storm has passed) it gets its own channel, if it
 * is still open: `storm.move` work, checked every half minute.
 */
const STORM_WINDOW_MS = 60_000;
const CHECK_AGAIN_MS = 30_000;

/** The storm channel, when this incident opens during a storm and should wait there for a channel of its own. */
export async function stormChannelFor(deps: AppDeps, incident: Incident): Promise<string | undefined> {
  const { channel, new_channels_per_minute: perMinute } = deps.config.storm;
  if (!channel) return undefined;
  // Decided by the incidents opened before it (not by the clock), so every attempt of its placement agrees.
  return (await countOpenedBefore(deps.db, incident.id, STORM_WINDOW_MS)) >= perMinute ? channel : undefined;
}

export const moveWork = (incident: Incident, opener: string, at: Date): NewWork =>
  newWork(
    'storm.move',
    { opener },
    {
      incidentId: incident.id,
      dueAt: new Date(at.getTime() + CHECK_AGAIN_MS),
      dedupeKey: `storm.move:${incident.id}`,
    },
  );

/** Gives a stormed incident its own channel once the storm has passed (each step idempotent, as placing is). */
export async function moveDue(deps: AppDeps, work: WorkOf<'storm.move'>, worker: string): Promise<WorkResult> {
  const now = deps.clock.now();
  const incident = work.incidentId === null ? undefined : await getIncident(deps.db, work.incidentId);
  const storm = deps.config.storm.channel;
  if (!incident || incident.status === 'resolved') return { done: 'resolved in the storm channel' };
  if (!storm || incident.channelId !== storm || !incident.messageTs) return { done: 'not in the storm channel' };
  if ((await countOpenedSince(deps.db, now, STORM_WINDOW_MS)) >= deps.config.storm.new_channels_per_minute)
    return { retryAt: new Date(now.getTime() + CHECK_AGAIN_MS), reason: 'the storm goes on', countAttempt: false };
  const from = { channelId: storm, messageTs: incident.messageTs };
  const marker = markerOf(incident);
  const asked = work.attempts > 1 ? (await readPlacement(deps.db, incident.id))?.channelAsked : null;
  // A failure (a 429 included) is the worker's to retry, with its one backoff; each step is idempotent.
  const made = await makeIncidentChannel(deps, incident, asked);
  await deps.slackOnce.invite(made.channelId, [...new Set([work.payload.opener, incident.commander])]);
  const snapshot = (await loadSnapshot(deps, incident.id)) ?? snapshotOf(deps, incident, []);
  const shown = { ...snapshot, incident: { ...snapshot.incident, channelId: made.channelId } };
  const posted = await deps.slackOnce.postIncidentMessage(made.channelId, shown, {
    key: `live-moved:${marker}`,
    lookFirst: work.attempts > 1,
  });
  await deps.slackOnce.pin(made.channelId, posted.ts);
  const moved = { channelId: made.channelId, name: made.name, messageTs: posted.ts, version: shown.incident.version };
  const done = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    if (!(await completeWork(tx, work.id, worker, done, 'moved'))) return;
    await lockIncident(tx, incident.id);
    if (!(await recordMove(tx, incident.id, from, { ...moved, at: done }))) return;
    await recordRendered(tx, incident.id, moved.version);
    await appendTimelineEvent(tx, {
      incidentId: incident.id,
      occurredAt: done,
      actor: SYSTEM_ACTOR,
      ...timelineEvent('incident.moved', {
        fromChannelId: storm,
        channelId: moved.channelId,
        messageTs: moved.messageTs,
        channelName: moved.name,
      }),
    });
  });
  // What is left in the storm channel points to the new home (its buttons gone); best effort, the move stands.
  await deps.slackOnce
    .updateInThread(storm, from.messageTs, {
      kind: 'moved',
      key: incident.key,
      title: incident.title,
      channelId: moved.channelId,
    })
    .catch((error: unknown) =>
      deps.log.warn({ err: error, incident: incident.key }, 'could not mark the storm message moved'),
    );
  await deps.live.refresh(incident.id);
  return { completed: true };
}
