import type { RenderContext } from './html.js';

/**
 * Slack's `<!date^unix^format|fallback>` tokens, rendered in the reader's
 * time zone (en-US wording, as Slack's English client writes them). The
 * relative ones ({date_pretty}, {ago}) are measured against `ctx.now`, the
 * bot's clock, so moved playground time reads as Slack would read it then.
 */

interface Parts {
  year: string;
  month: string;
  monthNum: string;
  day: string;
  weekday: string;
  hour: string;
  minute: string;
  second: string;
  dayPeriod: string;
}

function partsOf(date: Date, timeZone: string | undefined): Parts {
  const read = (options: Intl.DateTimeFormatOptions) => {
    const out: Record<string, string> = {};
    for (const part of new Intl.DateTimeFormat('en-US', { ...options, timeZone }).formatToParts(date))
      out[part.type] = part.value;
    return out;
  };
  const named = read({
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'long',
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
    hour12: true,
  });
  const numeric = read({ month: '2-digit', day: '2-digit' });
  return {
    year: named.year ?? '',
    month: named.month ?? '',
    monthNum: numeric.month ?? '',
    day: named.day ?? '',
    weekday: named.weekday ?? '',
    hour: named.hour ?? '',
    minute: named.minute ?? '',
    second: named.second ?? '',
    dayPeriod: named.dayPeriod ?? '',
  };
}

function ordinal(day: string): string {
  const n = Number(day);
  const suffix =
    n % 100 >= 11 && n % 100 <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

const ymd = (p: Parts) => `${p.year}-${p.monthNum}-${p.day.padStart(2, '0')}`;

function relativeDay(date: Date, ctx: RenderContext): string | undefined {
  const day = ymd(partsOf(date, ctx.timeZone));
  const DAY = 86_400_000;
  const names: Array<[number, string]> = [
    [0, 'Today'],
    [-DAY, 'Yesterday'],
    [DAY, 'Tomorrow'],
  ];
  return names.find(([shift]) => ymd(partsOf(new Date(ctx.now.getTime() + shift), ctx.timeZone)) === day)?.[1];
}

function ago(date: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  const size = Math.abs(seconds);
  if (size < 60) return 'just now';
  const units: Array<[number, string]> = [
    [86_400 * 365, 'year'],
    [86_400 * 30, 'month'],
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  const [length, unit] = units.find(([n]) => size >= n)!;
  const count = Math.floor(size / length);
  const phrase = `${count} ${unit}${count === 1 ? '' : 's'}`;
  return seconds >= 0 ? `${phrase} ago` : `in ${phrase}`;
}

/** The text for a date token string such as `{date_short_pretty} {time}`; undefined when the date cannot be shown. */
export function formatSlackDate(unixSeconds: number, format: string, ctx: RenderContext): string | undefined {
  if (!Number.isFinite(unixSeconds)) return undefined;
  const date = new Date(unixSeconds * 1000);
  let p: Parts;
  try {
    p = partsOf(date, ctx.timeZone);
  } catch {
    return undefined;
  }
  const short = `${p.month.slice(0, 3)} ${p.day}, ${p.year}`;
  const long = `${p.month} ${ordinal(p.day)}, ${p.year}`;
  const tokens: Record<string, () => string> = {
    date_num: () => ymd(p),
    date: () => long,
    date_short: () => short,
    date_long: () => `${p.weekday}, ${long}`,
    date_pretty: () => relativeDay(date, ctx) ?? long,
    date_short_pretty: () => relativeDay(date, ctx) ?? short,
    date_long_pretty: () => relativeDay(date, ctx) ?? `${p.weekday}, ${long}`,
    time: () => `${p.hour}:${p.minute} ${p.dayPeriod}`,
    time_secs: () => `${p.hour}:${p.minute}:${p.second} ${p.dayPeriod}`,
    ago: () => ago(date, ctx.now),
  };
  return format.replace(/\{([a-z_]+)\}/g, (token, name: string) => tokens[name]?.() ?? token);
}
