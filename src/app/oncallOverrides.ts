import { nextShifts, type Shift } from '../domain/oncall.js';
import type { OncallCommand } from '../domain/oncallCommand.js';
import { addSpan, resolveWhen } from '../domain/oncallTime.js';
import { refused } from '../errors.js';
import { type NewOverride, findOverride, insertOverrides, removeOverride } from '../store/overrides.js';
import type { Actor, AppDeps } from './deps.js';
import {
  type KnownSchedule,
  LOOK_AHEAD_MS,
  asOverrides,
  onCallAt,
  overridesAround,
  scheduleNamed,
  zoneOf,
} from './oncall.js';
import type { Reply } from './replies.js';
import { planHandoffs } from './work/handoff.js';
import { presentProps } from '../domain/defined.js';

const MAX_OVERRIDE_MS = 90 * 86_400_000;

type OverrideCommand = Extract<OncallCommand, { kind: 'oncall-override' }>;
type SwapCommand = Extract<OncallCommand, { kind: 'oncall-swap' }>;

/**
 * A person typed in a command, as a user id; refused when the workspace has nobody by that name, or Slack says the
 * id is no user (or a deactivated one). Slack failing to answer refuses nothing: the mention came from Slack.
 */
async function personOf(deps: AppDeps, typed: string): Promise<string> {
  if (!typed.startsWith('@')) {
    const { missing } = await deps.slack.userInfo(typed).catch((error: unknown) => {
      deps.log.warn({ err: error, user: typed }, 'could not ask Slack whether a user exists');
      return { missing: undefined };
    });
    if (missing === 'not_found') throw refused({ kind: 'cannot-be-on-call', typed, why: 'no-such-id' });
    if (missing === 'deactivated') throw refused({ kind: 'cannot-be-on-call', typed, why: 'deactivated' });
    return typed;
  }
  const id = await deps.slack.findUser(typed.slice(1));
  if (!id) throw refused({ kind: 'cannot-be-on-call', typed, why: 'no-such-name' });
  return id;
}

/** Writes overrides, hands off where they change who is on call, and answers what the schedule is now. */
async function record(
  deps: AppDeps,
  known: KnownSchedule,
  rows: NewOverride[],
  change: 'override' | 'swap',
  zone: string,
): Promise<Reply> {
  const now = deps.clock.now();
  const overrides = await insertOverrides(deps.db, rows, now);
  deps.log.info({ schedule: known.id, overrides: overrides.map((o) => o.id), change }, 'on-call changed');
  await planHandoffs(deps, known, now);
  return {
    kind: 'oncall-changed',
    change,
    schedule: known.id,
    zone,
    now,
    overrides,
    onCall: await onCallAt(deps, known, now),
  };
}

/** `/incident oncall override <schedule> @someone <2h | until Fri 18:00>`: someone covers the schedule for a while. */
export async function overrideOnCall(deps: AppDeps, command: OverrideCommand, actor: Actor): Promise<Reply> {
  const known = scheduleNamed(deps, command.schedule);
  const user = await personOf(deps, command.user);
  const now = deps.clock.now();
  // Typed moments are read in the asker's zone; the answer says them back with the zone, so nothing is guessed.
  const zone = (await zoneOf(deps, actor.user)) ?? known.config.time_zone;
  const start = command.from ? resolveWhen(command.from, now, zone) : now;
  const end = 'kind' in command.until ? resolveWhen(command.until, start, zone) : addSpan(start, command.until, zone);
  if (end.getTime() - start.getTime() > MAX_OVERRIDE_MS)
    throw refused({ kind: 'override-too-long', start, end, zone, now });
  const replaced = (await onCallAt(deps, known, start)).user;
  return record(
    deps,
    known,
    [
      {
        schedule: known.id,
        user,
        start,
        end,
        kind: 'override',
        ...(replaced && replaced !== user ? { replaces: replaced } : {}),
        createdBy: actor.user,
        ...presentProps({ requestKey: actor.requestKey }),
      },
    ],
    'override',
    zone,
  );
}

/** The first shift of `user` from now on (the rest of it, when they are on call now). */
function nextShiftOf(shifts: readonly Shift[], user: string, now: Date): Shift | undefined {
  const shift = shifts.find((s) => s.user === user && s.end.getTime() > now.getTime());
  return shift && { ...shift, start: new Date(Math.max(shift.start.getTime(), now.getTime())) };
}

/** `/incident oncall swap <schedule> @a @b`: @b takes @a's next shift and @a takes @b's. */
export async function swapOnCall(deps: AppDeps, command: SwapCommand, actor: Actor): Promise<Reply> {
  const known = scheduleNamed(deps, command.schedule);
  const [a, b] = [await personOf(deps, command.a), await personOf(deps, command.b)];
  if (a === b) throw refused({ kind: 'swap-with-self' });
  const now = deps.clock.now();
  const zone = (await zoneOf(deps, actor.user)) ?? known.config.time_zone;
  const until = new Date(now.getTime() + LOOK_AHEAD_MS);
  const stored = await overridesAround(deps, known.id, now, until);
  const shifts = nextShifts(known.schedule, asOverrides(stored), now, until);
  const [shiftA, shiftB] = [nextShiftOf(shifts, a, now), nextShiftOf(shifts, b, now)];
  const none = !shiftA ? a : !shiftB ? b : undefined;
  if (none || !shiftA || !shiftB) throw refused({ kind: 'no-shift-to-swap', user: none ?? a, schedule: known.id });
  // Two people's shifts never overlap in one rotation; what a swap may overlap is an override already made for them.
  for (const [person, shift] of [
    [a, shiftA],
    [b, shiftB],
  ] as const) {
    const covered = stored.find(
      (o) => o.start.getTime() < shift.end.getTime() && shift.start.getTime() < o.end.getTime(),
    );
    if (covered) throw refused({ kind: 'swap-overlaps', user: person, shift, override: covered, zone, now });
  }
  const key = actor.requestKey;
  const cover = (user: string, shift: Shift, replaces: string, part: string): NewOverride => ({
    schedule: known.id,
    user,
    start: shift.start,
    end: shift.end,
    kind: 'swap',
    replaces,
    createdBy: actor.user,
    ...(key ? { requestKey: `${key}:${part}` } : {}),
  });
  return record(deps, known, [cover(b, shiftA, a, 'a'), cover(a, shiftB, b, 'b')], 'swap', zone);
}

/** `/incident oncall override remove <id>`: the regular rotation applies again for that time. */
export async function removeOnCallOverride(deps: AppDeps, id: number, actor: Actor): Promise<Reply> {
  const found = await findOverride(deps.db, id);
  const known = found && deps.config.schedules[found.schedule] ? scheduleNamed(deps, found.schedule) : undefined;
  if (!found || !known) throw refused({ kind: 'no-override', id });
  const now = deps.clock.now();
  const removed = await removeOverride(deps.db, id, actor.user, now);
  if (!removed) throw refused({ kind: 'override-removed-already', id });
  deps.log.info({ schedule: known.id, override: id, by: actor.user }, 'on-call override removed');
  await planHandoffs(deps, known, now);
  const zone = (await zoneOf(deps, actor.user)) ?? known.config.time_zone;
  return {
    kind: 'oncall-changed',
    change: 'removed',
    schedule: known.id,
    zone,
    now,
    overrides: [removed],
    onCall: await onCallAt(deps, known, now),
  };
}
