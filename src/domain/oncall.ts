import { type Span, WALL_DAY, WALL_MINUTE, instantOf, spanMs, wallDate, wallOf, wallParts } from './oncallTime.js';

/**
 * Who is on call: a pure function of (schedule, overrides, instant).
 *
 * A schedule has layers; each layer is a rotation (people in order, a shift
 * length, a handoff moment, a start date) that may apply only within
 * restrictions (weekdays 09:00–18:00). As in the established on-call tools,
 * a later layer covers the earlier ones wherever it applies and someone is in
 * it; an override covers every layer for its time (the newest override wins
 * where two overlap). Nobody may be on call: an empty slot, said as such.
 *
 * Handoffs keep their wall-clock time in the schedule's zone (oncallTime.ts):
 * a 09:00 handoff is at 09:00 in summer and in winter.
 */

export interface Restriction {
  /** Weekdays, 1 = Monday … 7 = Sunday: the days a window starts on. */
  days: number[];
  /** Minutes of the day; `to` at or before `from` ends the next day (22:00–06:00). */
  from: number;
  to: number;
}

export interface Layer {
  name: string;
  users: string[];
  length: Span;
  /** The handoff moment: a time of day, and a weekday for rotations of whole weeks. */
  handoff: { weekday?: number; minute: number };
  /** The day the rotation starts (its first handoff is on or after it), in the schedule's zone. */
  start: { year: number; month: number; day: number };
  restrictions: Restriction[];
}

export interface Schedule {
  id: string;
  zone: string;
  layers: Layer[];
}

export interface Override {
  id: number;
  user: string;
  start: Date;
  end: Date;
}

/** Who is on call from `start` until `end`; `user` null is an empty slot. */
export interface Shift {
  user: string | null;
  start: Date;
  end: Date;
  /** The override that put them there, or the layer they come from. */
  overrideId?: number;
  layer?: string;
}

interface Who {
  user: string | null;
  overrideId?: number;
  layer?: string;
}

/** The wall time of a layer's first handoff: the start date at the handoff time, moved to the handoff weekday. */
function anchorOf(layer: Layer): number {
  const first = wallDate(layer.start.year, layer.start.month, layer.start.day, layer.handoff.minute);
  if (layer.handoff.weekday === undefined) return first;
  const { weekday } = wallParts(first);
  return first + ((layer.handoff.weekday - weekday + 7) % 7) * WALL_DAY;
}

/** The layer's shift number k at an instant (negative before the rotation starts), and the shift's instants. */
function shiftOf(layer: Layer, zone: string, at: Date): { k: number; start: Date; end: Date } {
  const anchor = anchorOf(layer);
  const length = spanMs(layer.length);
  const startOf = (k: number) => instantOf(anchor + k * length, zone);
  let k = Math.floor((wallOf(at, zone) - anchor) / length);
  // The wall estimate can be one off in the hour the clocks go back: settle it on instants.
  while (startOf(k).getTime() > at.getTime()) k--;
  while (startOf(k + 1).getTime() <= at.getTime()) k++;
  return { k, start: startOf(k), end: startOf(k + 1) };
}

function inRestrictions(restrictions: Restriction[], wall: number): boolean {
  if (restrictions.length === 0) return true;
  const { weekday, minute } = wallParts(wall);
  const yesterday = ((weekday + 5) % 7) + 1;
  return restrictions.some((r) =>
    r.from < r.to
      ? r.days.includes(weekday) && minute >= r.from && minute < r.to
      : (r.days.includes(weekday) && minute >= r.from) || (r.days.includes(yesterday) && minute < r.to),
  );
}

/** Who a layer puts on call at an instant; undefined where it does not apply. */
function layerAt(layer: Layer, zone: string, at: Date): string | undefined {
  if (layer.users.length === 0 || !inRestrictions(layer.restrictions, wallOf(at, zone))) return undefined;
  const { k } = shiftOf(layer, zone, at);
  if (k < 0) return undefined;
  return layer.users[k % layer.users.length];
}

function whoAt(schedule: Schedule, overrides: readonly Override[], at: Date): Who {
  const t = at.getTime();
  const override = overrides
    .filter((o) => o.start.getTime() <= t && t < o.end.getTime())
    .reduce<Override | undefined>((newest, o) => (!newest || o.id > newest.id ? o : newest), undefined);
  if (override) return { user: override.user, overrideId: override.id };
  for (const layer of [...schedule.layers].reverse()) {
    const user = layerAt(layer, schedule.zone, at);
    if (user !== undefined) return { user, layer: layer.name };
  }
  return { user: null };
}

/** Every instant in (from, to) where the answer may change: shift handoffs, restriction edges, override edges. */
function boundaries(schedule: Schedule, overrides: readonly Override[], from: Date, to: Date): number[] {
  const { zone } = schedule;
  const points: number[] = [];
  for (const layer of schedule.layers) {
    let shift = shiftOf(layer, zone, from);
    while (shift.end.getTime() < to.getTime()) {
      points.push(shift.end.getTime());
      shift = shiftOf(layer, zone, shift.end);
    }
    const firstDay = wallParts(wallOf(from, zone)).dayStart - WALL_DAY;
    const lastDay = wallParts(wallOf(to, zone)).dayStart + WALL_DAY;
    for (let day = firstDay; day <= lastDay; day += WALL_DAY) {
      const { weekday } = wallParts(day);
      for (const r of layer.restrictions) {
        if (!r.days.includes(weekday)) continue;
        points.push(instantOf(day + r.from * WALL_MINUTE, zone).getTime());
        const endDay = r.to <= r.from ? day + WALL_DAY : day;
        points.push(instantOf(endDay + r.to * WALL_MINUTE, zone).getTime());
      }
    }
  }
  for (const o of overrides) points.push(o.start.getTime(), o.end.getTime());
  return [...new Set(points)].filter((p) => p > from.getTime() && p < to.getTime()).sort((a, b) => a - b);
}

/** Who is on call between two instants, as shifts (one person's time merged into one shift). */
function shiftsBetween(schedule: Schedule, overrides: readonly Override[], from: Date, to: Date): Shift[] {
  const edges = [from.getTime(), ...boundaries(schedule, overrides, from, to), to.getTime()];
  const shifts: Shift[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const who = whoAt(schedule, overrides, new Date(edges[i]!));
    const last = shifts.at(-1);
    if (last && last.user === who.user) {
      last.end = new Date(edges[i + 1]!);
      continue;
    }
    shifts.push({ ...who, start: new Date(edges[i]!), end: new Date(edges[i + 1]!) });
  }
  return shifts;
}

/** How far around an instant to look for the edges of its shift: two of the longest rotation, and two days. */
function reach(schedule: Schedule): number {
  return 2 * Math.max(WALL_DAY, ...schedule.layers.map((l) => spanMs(l.length))) + 2 * WALL_DAY;
}

/**
 * Who is on call at `at`, with the shift's start and end. A shift that reaches further than the look-around
 * (one person alone in a rotation) is cut there: its start or end is then the edge of what was looked at.
 */
export function whoIsOnCall(schedule: Schedule, overrides: readonly Override[], at: Date): Shift {
  const span = reach(schedule);
  const shifts = shiftsBetween(schedule, overrides, new Date(at.getTime() - span), new Date(at.getTime() + span));
  return shifts.find((s) => s.start.getTime() <= at.getTime() && at.getTime() < s.end.getTime())!;
}

/**
 * The shifts from the one on at `from` until `until`: the current shift (with its real start) first, the last
 * one cut at `until` only if it would run past what was looked at.
 */
export function nextShifts(schedule: Schedule, overrides: readonly Override[], from: Date, until: Date): Shift[] {
  const current = whoIsOnCall(schedule, overrides, from);
  if (current.end.getTime() >= until.getTime()) return [current];
  const later = shiftsBetween(schedule, overrides, current.end, new Date(until.getTime() + reach(schedule)));
  const shifts = [current, ...later];
  // Merge the seam (the current shift's end was cut by its own look-around), then keep those starting before `until`.
  const merged: Shift[] = [];
  for (const shift of shifts) {
    const last = merged.at(-1);
    if (last && last.user === shift.user) last.end = shift.end;
    else merged.push({ ...shift });
  }
  return merged.filter((s) => s.start.getTime() < until.getTime());
}

/** The next handoff after `at`: the shift that starts then. */
export function nextHandoff(schedule: Schedule, overrides: readonly Override[], at: Date): Shift {
  const current = whoIsOnCall(schedule, overrides, at);
  return whoIsOnCall(schedule, overrides, current.end);
}
