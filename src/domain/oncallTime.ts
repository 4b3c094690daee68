import { DateTime, IANAZone } from 'luxon';

/**
 * Wall-clock time in a schedule's zone, done with Luxon (it knows the IANA
 * zones and their daylight saving), never with hand-written offsets.
 *
 * A rotation keeps its handoff at the same wall-clock time: a daily shift
 * that hands off at 09:00 is 23 hours long on the night clocks go forward and
 * 25 hours on the night they go back. So shift arithmetic happens on "wall
 * milliseconds" (the local date and time read as if it were UTC), where every
 * day is 24 hours, and is turned into an instant only at the end.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A length of time in calendar units: `1w`, `12h`, `1d12h`. */
export interface Span {
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** `1w`, `2w`, `1d`, `12h`, `1h30m`, `1d12h`: weeks, days, hours and minutes in that order; undefined otherwise. */
export function parseSpan(text: string): Span | undefined {
  const match = /^(?:(\d{1,3})w)?(?:(\d{1,3})d)?(?:(\d{1,4})h)?(?:(\d{1,5})m)?$/i.exec(text.trim());
  if (!match || text.trim() === '') return undefined;
  const [, weeks, days, hours, minutes] = match.map((part: string | undefined) => Number(part ?? 0));
  const span = { weeks: weeks!, days: days!, hours: hours!, minutes: minutes! };
  return spanMs(span) > 0 ? span : undefined;
}

/** The span's length in wall milliseconds (every day 24 hours). */
export function spanMs(span: Span): number {
  return (((span.weeks * 7 + span.days) * 24 + span.hours) * 60 + span.minutes) * MINUTE;
}

export function isTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** The wall clock of an instant in a zone, as wall milliseconds. */
export function wallOf(at: Date, zone: string): number {
  // The zone's offset at that instant (Luxon reads it from the IANA data), added to the instant.
  return at.getTime() + DateTime.fromJSDate(at, { zone }).offset * MINUTE;
}

/** The instant a wall time names in a zone; a time the clocks skip (02:30 the night they go forward) moves on. */
export function instantOf(wall: number, zone: string): Date {
  const w = DateTime.fromMillis(wall, { zone: 'utc' });
  const parts = { year: w.year, month: w.month, day: w.day, hour: w.hour, minute: w.minute, second: w.second };
  return DateTime.fromObject(parts, { zone }).plus({ milliseconds: w.millisecond }).toJSDate();
}

/** Weekday (1 = Monday) and minute of the day of a wall time. */
export function wallParts(wall: number): { weekday: number; minute: number; dayStart: number } {
  const w = DateTime.fromMillis(wall, { zone: 'utc' });
  const dayStart = wall - (wall % DAY);
  return { weekday: w.weekday, minute: Math.floor((wall - dayStart) / MINUTE), dayStart };
}

export function wallDate(year: number, month: number, day: number, minuteOfDay = 0): number {
  return Date.UTC(year, month - 1, day) + minuteOfDay * MINUTE;
}

export const WALL_DAY = DAY;
export const WALL_MINUTE = MINUTE;

/** `09:00` → minutes of the day; undefined when it is not a time of day. */
export function parseTimeOfDay(text: string): number | undefined {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

export function parseWeekday(text: string): number | undefined {
  const at = WEEKDAYS.indexOf(text.trim().slice(0, 3).toLowerCase() as Weekday);
  return at >= 0 && /^[a-z]{3,9}$/i.test(text.trim()) ? at + 1 : undefined;
}

/** A moment someone typed: `18:00`, `Fri 18:00`, `2026-12-08`, `2026-12-08 18:00`. */
export type When =
  | { kind: 'time'; minute: number }
  | { kind: 'weekday'; weekday: number; minute: number }
  | { kind: 'date'; year: number; month: number; day: number; minute: number };

export function parseWhen(text: string): When | undefined {
  const words = text.trim().split(/\s+/);
  if (words.length === 1) {
    const minute = parseTimeOfDay(words[0]!);
    if (minute !== undefined) return { kind: 'time', minute };
  }
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(words[0] ?? '');
  if (date && words.length <= 2) {
    const minute = words[1] === undefined ? 0 : parseTimeOfDay(words[1]);
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (minute === undefined || !DateTime.utc(year, month, day).isValid) return undefined;
    return { kind: 'date', year, month, day, minute };
  }
  if (words.length === 2) {
    const weekday = parseWeekday(words[0]!);
    const minute = parseTimeOfDay(words[1]!);
    if (weekday !== undefined && minute !== undefined) return { kind: 'weekday', weekday, minute };
  }
  return undefined;
}

/** The instant a typed moment names, read in `zone`: the next such time after `now` (a date names itself). */
export function resolveWhen(when: When, now: Date, zone: string): Date {
  const wall = wallOf(now, zone);
  const { weekday, dayStart } = wallParts(wall);
  if (when.kind === 'date') return instantOf(wallDate(when.year, when.month, when.day, when.minute), zone);
  let target = dayStart + when.minute * MINUTE;
  if (when.kind === 'weekday') target += ((when.weekday - weekday + 7) % 7) * DAY;
  while (target <= wall) target += when.kind === 'weekday' ? 7 * DAY : DAY;
  return instantOf(target, zone);
}

/** `from` plus a span in `zone`: days and weeks are calendar days (09:00 stays 09:00), hours are hours. */
export function addSpan(from: Date, span: Span, zone: string): Date {
  return DateTime.fromJSDate(from, { zone })
    .plus({ weeks: span.weeks, days: span.days, hours: span.hours, minutes: span.minutes })
    .toJSDate();
}

/** How a moment reads in a zone: `09:00 Mon 8 Dec` (the year when it is not the reader's). */
export function sayWhen(at: Date, zone: string, now?: Date): string {
  const local = DateTime.fromJSDate(at, { zone });
  const sameYear = now === undefined || DateTime.fromJSDate(now, { zone }).year === local.year;
  return local.toFormat(sameYear ? 'HH:mm ccc d LLL' : 'HH:mm ccc d LLL yyyy', { locale: 'en-GB' });
}

/** A zone's short name at a moment (`CET`, `EST`, or an offset such as `GMT+1` where there is none). */
export function zoneAbbreviation(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat('ZZZZ', { locale: 'en-US' });
}
