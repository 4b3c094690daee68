import { clockOf, clockRuns, lateness, levelOf, nextAfter } from '../../domain/escalation.js';
import type { Incident } from '../../domain/incident.js';
import { SYSTEM_ACTOR, timelineEvent } from '../../domain/timeline.js';
import type { Transaction } from '../../store/db.js';
import { changeEscalationLevel, lockIncident } from '../../store/incidents.js';
import { appendTimelineEvent } from '../../store/timeline.js';
import { type NewWork, cancelWork, completeWork, scheduleWork } from '../../store/work.js';
import type { AppDeps } from '../deps.js';
import { enqueueStatusUpdate } from './notifications.js';
import { type WorkOf, type WorkPayload, newWork } from './payloads.js';
import type { WorkResult } from './types.js';
import { waitForPlacement } from './threadPost.js';

/**
 * The work that paging a level starts: the page itself, due now. The level's
 * clock starts when the page goes out (pageDue), not here: a page that goes
 * out late does not shorten the time its responders have. `because` makes
 * both unique to this moment; `lateByMs` is how late the moment itself was
 * (an escalation that fired late), added to the page's own delay.
 */
export function levelWork(
  incident: Incident,
  level: number,
  cycle: number,
  because: string,
  at: Date,
  lateByMs?: number,
): NewWork[] {
  const policy = incident.escalationPolicy;
  const spec = policy && levelOf(policy, level);
  if (!spec) return [];
  return [
    newWork(
      'page',
      { level, cycle, because, ...(lateByMs ? { lateByMs } : {}) },
      { incidentId: incident.id, dueAt: at, lane: `page:${incident.id}`, dedupeKey: `page:${incident.id}:${because}` },
    ),
  ];
}

/** The level's clock, started when its page goes out; nothing when that clock does not run in this status. */
export function levelClockWork(incident: Incident, level: number, cycle: number, because: string, at: Date): NewWork[] {
  const spec = incident.escalationPolicy && levelOf(incident.escalationPolicy, level);
  if (!spec) return [];
  const clock = clockOf(spec);
  if (!clockRuns(clock.kind, incident.status)) return [];
  return [
    newWork(
      'escalate',
      { level, cycle, clock: clock.kind },
      {
        incidentId: incident.id,
        dueAt: new Date(at.getTime() + clock.ms),
        dedupeKey: `escalate:${incident.id}:${because}`,
      },
    ),
  ];
}

/** Acknowledge stops acknowledgement clocks; unresolved clocks keep running. */
export async function stopAcknowledgementClock(tx: Transaction, incident: Incident, at: Date): Promise<void> {
  const stopped = await cancelWork(tx, incident.id, ['escalate'], at, 'acknowledged', {
    payloadKey: 'clock' satisfies keyof WorkPayload<'escalate'>,
    value: 'ack' satisfies WorkPayload<'escalate'>['clock'],
  });
  if (stopped > 0)
    await appendTimelineEvent(tx, {
      incidentId: incident.id,
      occurredAt: at,
      actor: SYSTEM_ACTOR,
      ...timelineEvent('escalation.stopped', { reason: 'acknowledged', level: incident.escalationLevel }),
    });
}

/** Resolve stops everything that would page someone. */
export async function stopEscalation(tx: Transaction, incident: Incident, at: Date): Promise<void> {
  const stopped = await cancelWork(tx, incident.id, ['escalate', 'page'], at, 'resolved');
  if (stopped > 0)
    await appendTimelineEvent(tx, {
      incidentId: incident.id,
      occurredAt: at,
      actor: SYSTEM_ACTOR,
      ...timelineEvent('escalation.stopped', { reason: 'resolved' }),
    });
}

/** A level was set by hand: the old clock stops, the new level is paged and its clock starts. */
export async function restartAtLevel(tx: Transaction, incident: Incident, because: string, at: Date): Promise<void> {
  await cancelWork(tx, incident.id, ['escalate'], at, `replaced by level ${incident.escalationLevel}`);
  await scheduleWork(tx, levelWork(incident, incident.escalationLevel, incident.escalationCycle, because, at), at);
}

/**
 * A level's clock ran out. Fenced: it acts only if the incident is still at
 * the level and cycle it was planned from and the clock still applies; a
 * stale item (the incident moved on) completes and does nothing.
 */
export async function escalateDue(deps: AppDeps, work: WorkOf<'escalate'>, worker: string): Promise<WorkResult> {
  const now = deps.clock.now();
  const { level, cycle, clock } = work.payload;
  const changed = await deps.db.transaction(async (tx) => {
    const incident = work.incidentId === null ? undefined : await lockIncident(tx, work.incidentId);
    const policy = incident?.escalationPolicy;
    const stale =
      !incident ||
      !policy ||
      incident.escalationLevel !== level ||
      incident.escalationCycle !== cycle ||
      !clockRuns(clock, incident.status);
    if (stale) {
      await completeWork(tx, work.id, worker, now, 'stale');
      return undefined;
    }
    // A clock set before the incident was placed (a manual escalation while Slack failed) waits for placement.
    if (!incident.messageTs) return 'unplaced' as const;
    const next = nextAfter(policy, level, cycle);
    const late = lateness(work.dueAt, now);
    if (next.kind === 'stop') {
      await appendTimelineEvent(tx, {
        incidentId: incident.id,
        occurredAt: now,
        actor: SYSTEM_ACTOR,
        ...timelineEvent('escalation.stopped', { reason: 'exhausted', level }),
      });
      await completeWork(tx, work.id, worker, now, 'exhausted');
      return undefined;
    }
    const change = await changeEscalationLevel(tx, {
      incidentId: incident.id,
      level: next.level,
      cycle: next.cycle,
      onlyFrom: level,
      actor: SYSTEM_ACTOR,
      at: now,
      data: {
        clock,
        dueAt: work.dueAt.toISOString(),
        ...(late.late ? { late: true, lateByMs: late.byMs } : {}),
        ...(next.cycle !== cycle ? { repeat: next.cycle } : {}),
      },
    });
    if (!change.changed) {
      await completeWork(tx, work.id, worker, now, 'stale');
      return undefined;
    }
    await scheduleWork(
      tx,
      levelWork(change.incident, next.level, next.cycle, `event-${change.event.id}`, now, late.byMs),
      now,
    );
    const spec = levelOf(policy, next.level);
    await enqueueStatusUpdate(
      tx,
      deps,
      change.incident,
      { kind: 'escalated', level: next.level, ...(spec ? { levelName: spec.name } : {}) },
      now,
    );
    await completeWork(tx, work.id, worker, now, `escalated to level ${next.level}`);
    return change.incident;
  });
  if (changed === 'unplaced') return waitForPlacement(work, now);
  if (changed) {
    // Not awaited: under Slack's limits a render may wait its turn for a while, and this item must not hold a
    // worker slot meanwhile (a new incident's page would wait behind it). The render is durable on failure.
    deps.live
      .refresh(changed.id)
      .catch((error: unknown) => deps.log.warn({ err: error, incident: changed.key }, 'live message refresh failed'));
  }
  return { completed: true };
}
