import { z } from 'zod';
import type { Layer, Schedule } from '../domain/oncall.js';
import { WEEKDAYS, isTimeZone, parseSpan, parseTimeOfDay, parseWeekday, spanMs } from '../domain/oncallTime.js';
import { duration } from './duration.js';
import { type envFields, slackChannelId, slackUserGroupId, slackUserId } from './fields.js';

type Fields = ReturnType<typeof envFields>;

const timeOfDay = z.string().transform((text, ctx) => {
  const minute = parseTimeOfDay(text);
  if (minute === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a time of day; write it like 09:00 or 18:30` });
    return z.NEVER;
  }
  return minute;
});

/** `Mon 09:00` or `09:00`. */
const handoff = z.string().transform((text, ctx) => {
  const words = text.trim().split(/\s+/);
  const minute = parseTimeOfDay(words.at(-1) ?? '');
  const weekday = words.length === 2 ? parseWeekday(words[0]!) : undefined;
  if (minute === undefined || words.length > 2 || (words.length === 2 && weekday === undefined)) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is not a handoff moment; write it like "Mon 09:00" or "09:00"`,
    });
    return z.NEVER;
  }
  return weekday === undefined ? { minute } : { weekday, minute };
});

const length = z.string().transform((text, ctx) => {
  const span = parseSpan(text);
  if (!span || spanMs(span) < 3_600_000) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is not a shift length of an hour or more; write 1w, 1d or 12h`,
    });
    return z.NEVER;
  }
  return span;
});

const startDate = z.union([z.string(), z.date()]).transform((value, ctx) => {
  // YAML reads an unquoted 2026-01-05 as a date (midnight UTC): its calendar day is what was written.
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : value;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a start date; write it like 2026-01-05` });
    return z.NEVER;
  }
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
});

const restriction = z.strictObject({
  /** The days a window starts on. Default: every day. */
  days: z
    .array(z.enum(WEEKDAYS))
    .min(1)
    .default([...WEEKDAYS])
    .transform((days) => days.map((d) => WEEKDAYS.indexOf(d) + 1)),
  from: timeOfDay,
  /** At or before `from`: the window ends the next day. */
  to: timeOfDay,
});

const layer = z
  .strictObject({
    name: z.string().min(1).max(80).optional(),
    /** Slack user ids, in rotation order. */
    users: z.array(slackUserId).min(1),
    length,
    handoff,
    start: startDate,
    restrictions: z.array(restriction).default([]),
  })
  .refine(
    (l) => l.handoff.weekday === undefined || (l.length.days === 0 && l.length.hours === 0 && l.length.minutes === 0),
    {
      message: 'a handoff weekday ("Mon 09:00") needs a length of whole weeks; give only a time ("09:00") otherwise',
      path: ['handoff'],
    },
  );

export function scheduleSchema(f: Fields) {
  return z.strictObject({
    title: z.string().min(1).max(80).optional(),
    /** An IANA time zone name: handoffs and restrictions are read in it. */
    time_zone: z.string().refine(isTimeZone, { message: 'not an IANA time zone name such as Europe/Berlin' }),
    /** Later layers cover earlier ones where they apply. */
    layers: z.array(layer).min(1).max(10),
    /** Each handoff is posted here. */
    channel: slackChannelId.optional(),
    /** A user group whose members are set to the person on call at every handoff. */
    usergroup: slackUserGroupId.optional(),
    /** How long before a shift starts its person is told. */
    handoff_notice: duration.default(10 * 60_000),
    /** The secret in the calendar feed's URL (`GET /schedules/<id>.ics?token=…`); without it there is no feed. */
    calendar_token: f.secret
      .refine((token) => token.missing.length > 0 || token.reveal().length >= 16, {
        message: 'calendar_token must be at least 16 characters (e.g. `openssl rand -hex 16`)',
      })
      .optional(),
  });
}

export type ScheduleConfig = z.infer<ReturnType<typeof scheduleSchema>>;

/** The rotation the domain computes with, from its config. */
export function scheduleOf(id: string, config: ScheduleConfig): Schedule {
  const layers: Layer[] = config.layers.map((l, i) => ({
    name: l.name ?? `layer ${i + 1}`,
    users: l.users,
    length: l.length,
    handoff: l.handoff,
    start: l.start,
    restrictions: l.restrictions,
  }));
  return { id, zone: config.time_zone, layers };
}
