/** Words a POSIX shell reads as themselves: no quoting needed. */
const PLAIN = /^[A-Za-z0-9_/.,:@%+=-]+$/;
/** Characters that only ANSI-C quoting (`$'…'`) can show on one line. */
const UNPRINTABLE = /[\p{Cc}\u2028\u2029]/u;

/**
 * Quotes one argument so that pasting it into a POSIX shell gives back
 * exactly this string. `always` quotes even a plain word, which previews use
 * to mark the text that came from placeholders.
 */
export function shellQuote(arg: string, always = false): string {
  if (UNPRINTABLE.test(arg)) return ansiQuote(arg);
  if (!always && PLAIN.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

function ansiQuote(arg: string): string {
  let out = '';
  for (const ch of arg) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === "'") out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (UNPRINTABLE.test(ch))
      out += code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `$'${out}'`;
}

/**
 * An argv array as one shell line. The program is quoted when it contains
 * `=`, so a shell would not take it for a variable assignment.
 */
export function shellJoin(argv: readonly string[], alwaysQuote: readonly boolean[] = []): string {
  return argv.map((arg, i) => shellQuote(arg, alwaysQuote[i] === true || (i === 0 && arg.includes('=')))).join(' ');
}
