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

  // Control characters are exactly what this pattern is for.
  /* eslint-disable no-control-regex */
  const controls = options.multiline
    ? /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g
    : /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
  /* eslint-enable no-control-regex */
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

/**
 * The names closest to what was typed, best first ("did you mean …"): edit
 * distance, with a bonus for a name that contains what was typed (or the
 * other way round) and for a shared first three letters.
 */
export function closestNames(typed: string, names: Iterable<string>, limit = 3): string[] {
  const needle = typed.trim().toLowerCase().slice(0, 64);
  if (!needle) return [];
  return [...new Set(names)]
    .map((name) => ({
      name,
      score:
        editDistance(needle, name) -
        (name.startsWith(needle.slice(0, 3)) ? 1 : 0) -
        (name.includes(needle) || needle.includes(name) ? 2 : 0),
    }))
    .filter(({ name, score }) => score <= Math.max(3, Math.floor(name.length / 2)))
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map(({ name }) => name);
}

/** Levenshtein distance over short names: one row of the table is enough. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
