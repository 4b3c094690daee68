/**
 * The page builds HTML strings from pure functions and inserts them with
 * innerHTML, so everything that came from Slack data goes through
 * `escapeHtml` (text) or `safeUrl` (links and images) first.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for element content and attribute values alike (quotes escaped too). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * A URL a link or image may point at: http(s), mailto, or a path on this server. Anything else (javascript:,
 * data:) is refused.
 */
export function safeUrl(url: string): string | undefined {
  const trimmed = url.trim();
  if (/^(https?:\/\/|mailto:)/i.test(trimmed) || /^\/(?!\/)/.test(trimmed)) return escapeHtml(trimmed);
  return undefined;
}

/** `data-*` attributes from a record; undefined values are left out. */
export function dataAttrs(data: Record<string, string | undefined>): string {
  return Object.entries(data)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ` data-${key}="${escapeHtml(value)}"`)
    .join('');
}

/** Who and what names resolve to, and the time to render relative dates against. */
export interface RenderContext {
  /** user id → the name shown for a mention. */
  users: Record<string, string>;
  /** channel id → channel name (without #). */
  channels: Record<string, string>;
  /** user group id → handle (without @). */
  usergroups: Record<string, string>;
  /** "Now" for {date_pretty} and {ago}: the bot's clock in the playground. */
  now: Date;
  /** IANA zone for dates; undefined: the browser's own. */
  timeZone?: string;
}

export function emptyContext(now = new Date(0)): RenderContext {
  return { users: {}, channels: {}, usergroups: {}, now };
}

// Loose readers for Block Kit JSON, which arrives untyped from the emulator.
export type Json = Record<string, unknown>;
export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
export const asObject = (value: unknown): Json | undefined => (isObject(value) ? value : undefined);
export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
