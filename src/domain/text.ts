/** Limits on what people type, so every echo of it fits in a Slack message. */
export const MAX_COMMAND_TEXT = 4_000;
export const MAX_SUMMARY = 500;
export const MAX_NOTE = 2_500;

/**
 * Removes control characters (keeping newlines and tabs where text may span
 * lines), normalises Unicode and trims. Emoji and every script pass through.
 */
export function cleanText(text: string, options: { multiline?: boolean } = {}): string {
  const normalized = text.normalize('NFC');
  // C0/C1 controls, and the invisible bidi overrides that can disguise text.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const controls = options.multiline ? /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g : /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
  const stripped = normalized.replace(controls, options.multiline ? '' : ' ');
  return (options.multiline ? stripped.replace(/[ \t]+\n/g, '\n') : stripped.replace(/\s+/g, ' ')).trim();
}

/** Shortens to `max` characters (counting code points, so emoji are never cut in half). */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

export function length(text: string): number {
  return [...text].length;
}

/**
 * Escapes text typed by a person for Slack's mrkdwn: `<!channel>`, `<@U123>`
 * and links only ever show as the characters typed, never as a mention.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** For text shown inside `code`: escaped, and without backticks that would end the span. */
export function codeSpan(text: string, max = 40): string {
  return `\`${escapeMrkdwn(truncate(text, max)).replace(/`/g, "'")}\``;
}
