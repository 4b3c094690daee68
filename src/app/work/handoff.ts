import { lateness } from '../../domain/escalation.js';
import { whoIsOnCall } from '../../domain/oncall.js';
import { handoffNotice, handoffPost } from '../../notify/oncallMessages.js';
import { type NewWork, completeWork, scheduleWork } from '../../store/work.js';
import type { AppDeps } from '../deps.js';
import { type KnownSchedule, asOverrides, knownSchedules, overridesAround, scheduleNamed, zoneOf } from '../oncall.js';
import { type WorkOf, newWork } from './payloads.js';
import { presentProps } from '../../domain/defined.js';
import type { WorkResult } from './types.js';

/**
 * Handoffs are durable scheduled work, like escalations. For each schedule
 * the next handoff is planned as two items: `notice` (a direct message to the
 * incoming person, `handoff_notice` before) and `start` (the post in the
 * schedule's channel and the user group's new members, at the handoff). Their
 * dedupe keys name the schedule, the shift's start and its person, so every
 * replica may plan at any time (at start, after each handoff, after each
 * override) and each handoff is planned once. An item checks when it runs
 * that its shift is still the one on call (an override may have changed it):
 * a stale one does nothing; the replanning scheduled the right one.
 */

const NOTICE_LATE_AFTER_MS = 60_000;

/**
 * A shift's two items. `missed` (the bot was down at the shift's handoff, and is back during it): the notice is due
 * when it should have gone out, so it runs at once and says how late it is.
 */
function handoffItems(
  known: KnownSchedule,
  shift: { user: string | null; start: Date; end: Date },
  now: Date,
  missed = false,
) {
  const who = shift.user ?? 'nobody';
  const key = `handoff:${known.id}:${shift.start.toISOString()}:${who}`;
  const payload = { schedule: known.id, user: shift.user, start: shift.start, end: shift.end };
  const items: NewWork[] = [
    newWork('oncall.handoff', { ...payload, phase: 'start' }, { dueAt: shift.start, dedupeKey: `${key}:start` }),
  ];
  if (shift.user) {
    const due = shift.start.getTime() - known.config.handoff_notice;
    const noticeAt = new Date(missed ? due : Math.max(now.getTime(), due));
    items.push(
      newWork('oncall.handoff', { ...payload, phase: 'notice' }, { dueAt: noticeAt, dedupeKey: `${key}:notice` }),
    );
  }
  return items;
}

/**
 * Plans a schedule's next handoff, and (once per shift) sets its user group to whoever is on call now: a bot that
 * starts mid-shift, or an override that starts now, brings the group up to date without telling anyone again.
 * `missedCurrent`: a planned handoff ran after its whole shift (the bot was down through it and the next handoff),
 * so the current shift's handoff was missed too: it is planned as well, and its person told, late.
 */
export async function planHandoffs(
  deps: AppDeps,
  known: KnownSchedule,
  now: Date,
  missedCurrent = false,
): Promise<void> {
  const overrides = asOverrides(await overridesAround(deps, known.id, now, now));
  const current = whoIsOnCall(known.schedule, overrides, now);
  const next = whoIsOnCall(known.schedule, overrides, current.end);
  const missed = missedCurrent ? handoffItems(known, current, now, true) : [];
  const catchUp = known.config.usergroup
    ? [
        newWork(
          'oncall.handoff',
          {
            schedule: known.id,
            user: current.user,
            start: current.start,
            end: current.end,
            phase: 'start',
            catchUp: true,
          },
          {
            dueAt: now,
            dedupeKey: `handoff:${known.id}:${current.start.toISOString()}:${current.user ?? 'nobody'}:start`,
          },
        ),
      ]
    : [];
  // The missed items first: their start and the catch-up share a dedupe key, and the first planned is kept.
  const planned = await scheduleWork(deps.db, [...missed, ...catchUp, ...handoffItems(known, next, now)], now);
  if (planned > 0) deps.wake();
}

/** Every schedule's next handoff: at start, and now and then in case a plan was lost with the config's change. */
export async function planAllHandoffs(deps: AppDeps): Promise<void> {
  const now = deps.clock.now();
  for (const known of knownSchedules(deps)) await planHandoffs(deps, known, now);
}

/** A handoff's notice or start (see the header). Exactly once: the item completes with the deliveries it makes. */
export async function handoffDue(deps: AppDeps, work: WorkOf<'oncall.handoff'>, worker: string): Promise<WorkResult> {
  const { schedule: id, user, start, end, phase, catchUp } = work.payload;
  const config = deps.config.schedules[id];
  if (!config) return { done: 'schedule no longer configured' };
  const known = scheduleNamed(deps, id);
  const now = deps.clock.now();
  const overrides = asOverrides(await overridesAround(deps, id, start, end));
  const onCall = whoIsOnCall(known.schedule, overrides, start);
  if (onCall.user !== user || onCall.start.getTime() !== start.getTime()) {
    await planHandoffs(deps, known, now);
    return { done: 'stale: who is on call changed' };
  }
  // Far too late (the bot was down for the whole shift): nothing is said about a shift that is over.
  if (onCall.end.getTime() <= now.getTime()) {
    await planHandoffs(deps, known, now, true);
    return { done: 'the shift is over' };
  }
  const late = lateness(work.dueAt, now, NOTICE_LATE_AFTER_MS);
  const facts = {
    schedule: id,
    ...presentProps({ title: config.title }),
    user,
    start,
    end: onCall.end,
    now,
    ...presentProps({ usergroup: config.usergroup }),
    ...(late.late ? { lateByMs: late.byMs } : {}),
  };
  const deliveries: NewWork[] = [];
  if (phase === 'notice' && user) {
    const zone = (await zoneOf(deps, user)) ?? config.time_zone;
    deliveries.push(
      newWork(
        'deliver',
        { to: user, message: handoffNotice({ ...facts, user, zone }) },
        { dueAt: now, dedupeKey: `handoff:${work.id}:dm` },
      ),
    );
  }
  if (phase === 'start') {
    // Setting the members again is harmless, so a retry after a crash may do it twice; Slack refuses an empty group.
    if (config.usergroup && user) await deps.slackOnce.setUsergroupMembers(config.usergroup, [user]);
    if (config.channel && !catchUp)
      deliveries.push(
        newWork(
          'deliver',
          { to: config.channel, message: handoffPost({ ...facts, zone: config.time_zone }) },
          { dueAt: now, dedupeKey: `handoff:${work.id}:post` },
        ),
      );
  }
  const outcome = `${phase}${catchUp ? ' (catch-up)' : ''}${late.late ? `, late by ${late.byMs}ms` : ''}`;
  const done = await deps.db.transaction(async (tx) => {
    // Fenced first: a worker whose lease ran out (another took the handoff over) sends nothing.
    if (!(await completeWork(tx, work.id, worker, now, outcome))) return false;
    await scheduleWork(tx, deliveries, now);
    return true;
  });
  if (late.late) deps.log.warn({ schedule: id, phase, lateByMs: late.byMs }, 'handoff ran late');
  if (done && phase === 'start') await planHandoffs(deps, known, now);
  if (done && deliveries.length > 0) deps.wake();
  return { completed: true };
}
