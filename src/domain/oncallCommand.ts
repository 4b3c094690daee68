import { type Span, type When, parseSpan, parseWhen } from './oncallTime.js';
import { definedProps } from './defined.js';

/**
 * The `/incident oncall` grammar:
 *
 *   /incident oncall [schedule]                              who is on call now and next
 *   /incident oncall override <schedule> <@user> <2h | until Fri 18:00 | from Mon 09:00 until Mon 18:00>
 *   /incident oncall override remove <id>
 *   /incident oncall swap <schedule> <@a> <@b>               trade a's next shift for b's
 */
export type OncallCommand =
  | { kind: 'oncall'; schedule?: string }
  | { kind: 'oncall-override'; schedule: string; user: string; from?: When; until: When | Span }
  | { kind: 'oncall-remove'; id: number }
  | { kind: 'oncall-swap'; schedule: string; a: string; b: string };

export type OncallParsed = { ok: true; command: OncallCommand } | { ok: false; error: string };

const OVERRIDE_USAGE =
  'Write it as `/incident oncall override <schedule> @someone 2h` or `… @someone until Fri 18:00` ' +
  '(or `from Mon 09:00 until Mon 18:00`).';
const SWAP_USAGE = 'Write it as `/incident oncall swap <schedule> @a @b`: @a takes @b’s next shift and @b takes @a’s.';
const WHEN_HINT = 'a time such as `18:00`, `Fri 18:00` or `2026-12-08 18:00`';

const fail = (error: string): OncallParsed => ({ ok: false, error });

/** `from <when>` (optional) then `<duration>` or `until <when>`. */
function parseCover(words: string[]): { from?: When; until: When | Span } | string {
  let rest = words;
  let from: When | undefined;
  if (rest[0]?.toLowerCase() === 'from') {
    const end = rest.findIndex((w, i) => i > 0 && (w.toLowerCase() === 'until' || w.toLowerCase() === 'for'));
    const text = rest.slice(1, end < 0 ? undefined : end).join(' ');
    from = parseWhen(text);
    if (!from) return `I cannot read \`${text || '(nothing)'}\` as a start; give ${WHEN_HINT}.`;
    rest = end < 0 ? [] : rest.slice(end);
    if (rest[0]?.toLowerCase() === 'for') rest = rest.slice(1);
  }
  if (rest.length === 0) return `Say for how long: a duration such as \`2h\` or \`1d\`, or \`until Fri 18:00\`.`;
  if (rest[0]!.toLowerCase() === 'until') {
    const text = rest.slice(1).join(' ');
    const until = parseWhen(text);
    if (!until) return `I cannot read \`${text || '(nothing)'}\` as an end; give ${WHEN_HINT}.`;
    return { ...definedProps({ from }), until };
  }
  const text = rest.join(' ');
  const span = parseSpan(text);
  if (!span)
    return `I cannot read \`${text}\` as a duration; write it like \`30m\`, \`2h\`, \`1d\` or \`1w\`, or \`until Fri 18:00\`.`;
  return { ...definedProps({ from }), until: span };
}

/**
 * Parses what follows `/incident oncall`. `user` turns a word into a user id or `@handle` (the main grammar's
 * parseUserReference), so mentions read the same everywhere.
 */
export function parseOncallCommand(
  words: string[],
  user: (word: string | undefined) => string | undefined,
): OncallParsed {
  const verb = words[0]?.toLowerCase();
  if (verb === undefined) return { ok: true, command: { kind: 'oncall' } };
  if (verb === 'override') {
    if (words[1]?.toLowerCase() === 'remove') {
      const id = /^#?(\d{1,12})$/.exec(words[2] ?? '');
      if (!id)
        return fail(
          'Give the override’s number: `/incident oncall override remove 12` (`/incident oncall` lists them).',
        );
      return { ok: true, command: { kind: 'oncall-remove', id: Number(id[1]) } };
    }
    const schedule = words[1]?.toLowerCase();
    const who = user(words[2]);
    if (!schedule || !who) return fail(OVERRIDE_USAGE);
    const cover = parseCover(words.slice(3));
    if (typeof cover === 'string') return fail(cover);
    return { ok: true, command: { kind: 'oncall-override', schedule, user: who, ...cover } };
  }
  if (verb === 'swap') {
    const schedule = words[1]?.toLowerCase();
    const [a, b] = [user(words[2]), user(words[3])];
    if (!schedule || !a || !b || words.length > 4) return fail(SWAP_USAGE);
    if (a === b) return fail(`A swap needs two different people. ${SWAP_USAGE}`);
    return { ok: true, command: { kind: 'oncall-swap', schedule, a, b } };
  }
  if (words.length > 1)
    return fail('`/incident oncall` takes a schedule, `override …` or `swap …`. Try `/incident oncall` alone.');
  return { ok: true, command: { kind: 'oncall', schedule: verb } };
}
