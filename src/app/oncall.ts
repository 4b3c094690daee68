import { type ScheduleConfig, scheduleOf } from '../config/schedules.js';
import { type Override, type Schedule, type Shift, nextShifts, whoIsOnCall } from '../domain/oncall.js';
import { isTimeZone } from '../domain/oncallTime.js';
import { closestNames } from '../domain/text.js';
import { refused } from '../errors.js';
import { type StoredOverride, readOverrides } from '../store/overrides.js';
import { definedProps, presentProps } from '../domain/defined.js';
import type { Actor, AppDeps } from './deps.js';
import type { Reply } from './replies.js';

/** How far ahead the bot looks at a schedule: the calendar feed, swaps, "next". */
export const LOOK_AHEAD_MS = 8 * 7 * 86_400_000;
const LOOK_BACK_MS = 60 * 86_400_000;

export interface KnownSchedule {
  id: string;
  config: ScheduleConfig;
  schedule: Schedule;
}

/** A schedule named in a command; an unknown name is refused with the closest ones. */
export function scheduleNamed(deps: Pick<AppDeps, 'config'>, typed: string): KnownSchedule {
  const config = deps.config.schedules[typed];
  if (config) return { id: typed, config, schedule: scheduleOf(typed, config) };
  const names = Object.keys(deps.config.schedules);
  if (names.length === 0) throw refused({ kind: 'no-schedules' });
  throw refused({ kind: 'no-schedule', typed, closest: closestNames(typed, names), names });
}

export function knownSchedules(deps: Pick<AppDeps, 'config'>): KnownSchedule[] {
  return Object.entries(deps.config.schedules).map(([id, config]) => ({
    id,
    config,
    schedule: scheduleOf(id, config),
  }));
}

/** The overrides of a schedule that may matter around [from, to). */
export async function overridesAround(
  deps: Pick<AppDeps, 'db'>,
  id: string,
  from: Date,
  to: Date,
): Promise<StoredOverride[]> {
  return readOverrides(deps.db, id, new Date(from.getTime() - LOOK_BACK_MS), new Date(to.getTime() + LOOK_BACK_MS));
}

export const asOverrides = (stored: readonly StoredOverride[]): Override[] =>
  stored.map(({ id, user, start, end }) => ({ id, user, start, end }));

/** Who is on call for a schedule at an instant, overrides included. */
export async function onCallAt(deps: Pick<AppDeps, 'db'>, known: KnownSchedule, at: Date): Promise<Shift> {
  return whoIsOnCall(known.schedule, asOverrides(await overridesAround(deps, known.id, at, at)), at);
}

/** The shifts from now over the next `weeks`, overrides included: the calendar and the CLI's table. */
export async function shiftsAhead(
  deps: Pick<AppDeps, 'db'>,
  known: KnownSchedule,
  from: Date,
  weeks: number,
): Promise<Shift[]> {
  const until = new Date(from.getTime() + weeks * 7 * 86_400_000);
  return nextShifts(known.schedule, asOverrides(await overridesAround(deps, known.id, from, until)), from, until);
}

/** The asker's time zone from Slack, else undefined (the answer then uses each schedule's own zone). */
export async function zoneOf(deps: Pick<AppDeps, 'slack' | 'log'>, user: string): Promise<string | undefined> {
  const zone = await deps.slack
    .userInfo(user)
    .then((info) => info.tz)
    .catch((error: unknown) => {
      deps.log.warn({ err: error, user }, 'could not read the time zone from Slack');
      return undefined;
    });
  return zone && isTimeZone(zone) ? zone : undefined;
}

/** `/incident oncall [schedule]`: who is on call now and next, per schedule, in the asker's time zone. */
export async function showOnCall(deps: AppDeps, typed: string | undefined, actor: Actor): Promise<Reply> {
  const schedules = typed === undefined ? knownSchedules(deps) : [scheduleNamed(deps, typed)];
  const now = deps.clock.now();
  const zone = await zoneOf(deps, actor.user);
  const views = await Promise.all(
    schedules.map(async (known) => {
      const stored = await overridesAround(deps, known.id, now, new Date(now.getTime() + LOOK_AHEAD_MS));
      const [current, next] = nextShifts(
        known.schedule,
        asOverrides(stored),
        now,
        new Date(now.getTime() + LOOK_AHEAD_MS),
      );
      return {
        id: known.id,
        ...presentProps({ title: known.config.title }),
        zone: zone ?? known.config.time_zone,
        current: current!,
        ...definedProps({ next }),
        overrides: stored.filter((o) => o.end.getTime() > now.getTime()),
      };
    }),
  );
  return { kind: 'oncall', now, schedules: views };
}

/**
 * At start-up: each person a schedule's layers name is asked of Slack (users.info), and one Slack says is no user
 * (or deactivated) is logged with the schedules naming them. A warning, never a failure: the rest of the rotation
 * still pages, and Slack failing to answer says nothing about the person.
 */
export async function checkScheduleMembers(deps: Pick<AppDeps, 'config' | 'slack' | 'log'>): Promise<string[]> {
  const schedulesOf = new Map<string, string[]>();
  for (const known of knownSchedules(deps))
    for (const user of new Set(known.config.layers.flatMap((l) => l.users)))
      schedulesOf.set(user, [...(schedulesOf.get(user) ?? []), known.id]);
  const unknown: string[] = [];
  for (const [user, schedules] of schedulesOf) {
    const { missing } = await deps.slack.userInfo(user).catch((error: unknown) => {
      deps.log.warn({ err: error, user }, 'could not ask Slack about a person on a schedule');
      return { missing: undefined };
    });
    if (!missing) continue;
    unknown.push(user);
    deps.log.warn(
      { user, schedules, missing },
      missing === 'deactivated'
        ? 'a schedule names a deactivated Slack user: pages in their shifts will not reach them; fix the schedule'
        : 'a schedule names someone who is not a Slack user: pages in their shifts will not reach them; fix the schedule',
    );
  }
  return unknown;
}
