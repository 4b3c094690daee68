import { timingSafeEqual } from 'node:crypto';
import ical from 'ical-generator';
import type { Shift } from '../domain/oncall.js';
import { sayWhen } from '../domain/oncallTime.js';
import { scheduleOf } from '../config/schedules.js';
import type { AppDeps } from './deps.js';
import { type KnownSchedule, shiftsAhead } from './oncall.js';

export const CALENDAR_WEEKS = 8;

/** What the calendar route answers: the feed, or why not (a status and a sentence). */
export type CalendarAnswer = { ok: true; ics: string } | { ok: false; status: 404 | 403; message: string };

const same = (a: string, b: string) => {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The shifts of a schedule as iCalendar (ical-generator): one event per shift with someone on call. */
export function calendarOf(known: KnownSchedule, shifts: readonly Shift[], names: ReadonlyMap<string, string>): string {
  const title = known.config.title ?? known.id;
  const calendar = ical({ name: `On call: ${title}`, prodId: { company: 'incident-bot', product: 'schedules' } });
  for (const shift of shifts) {
    if (!shift.user) continue;
    const who = names.get(shift.user) ?? shift.user;
    calendar.createEvent({
      // Stable across fetches, so a calendar updates an event instead of adding another.
      id: `${known.id}-${shift.start.toISOString()}-${shift.user}@incident-bot`,
      start: shift.start,
      end: shift.end,
      summary: `${who} on call for ${title}`,
      description: shift.overrideId ? `Override #${shift.overrideId}` : `Rotation: ${shift.layer ?? ''}`,
    });
  }
  return calendar.toString();
}

/**
 * `GET /schedules/<id>.ics?token=…`: the next 8 weeks of a schedule's shifts, behind the schedule's own secret.
 * A schedule without a `calendar_token` has no feed; an unknown schedule and a wrong token say as little.
 */
export async function scheduleCalendar(deps: AppDeps, id: string, token: string | null): Promise<CalendarAnswer> {
  const config = deps.config.schedules[id];
  const secret = config?.calendar_token;
  if (!config || !secret || secret.missing.length > 0)
    return { ok: false, status: 404, message: 'no calendar for this schedule' };
  if (!token || !same(token, secret.reveal())) return { ok: false, status: 403, message: 'wrong or missing token' };
  const known: KnownSchedule = { id, config, schedule: scheduleOf(id, config) };
  const shifts = await shiftsAhead(deps, known, deps.clock.now(), CALENDAR_WEEKS);
  const people = [...new Set(shifts.flatMap((s) => (s.user ? [s.user] : [])))];
  const names = new Map<string, string>();
  for (const user of people) {
    const { name } = await deps.slack.userInfo(user).catch(() => ({ name: undefined }));
    if (name) names.set(user, name);
  }
  return { ok: true, ics: calendarOf(known, shifts, names) };
}

/** The same shifts as a terminal table (`incidentbot oncall <schedule>`), times in the schedule's zone. */
export function shiftTable(known: KnownSchedule, shifts: readonly Shift[], now: Date): string[] {
  const zone = known.config.time_zone;
  const rows = shifts.map((s) => [
    sayWhen(s.start, zone, now),
    sayWhen(s.end, zone, now),
    s.user ?? '(nobody)',
    s.overrideId ? `override #${s.overrideId}` : (s.layer ?? ''),
  ]);
  const head = [`FROM (${zone})`, 'UNTIL', 'WHO', 'WHY'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)];
}
