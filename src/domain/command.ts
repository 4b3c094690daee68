import { MAX_COMMAND_TEXT, MAX_NOTE, MAX_SUMMARY, cleanText, codeSpan, length } from './text.js';
import { type Severity, parseSeverity } from './severity.js';
import { type OncallCommand, parseOncallCommand } from './oncallCommand.js';
import { type ChangeCommand, parseChangeCommand } from './changeCommand.js';

/**
 * The `/incident` grammar (DESIGN.md), parsed into a typed command. A key
 * (`INC-42`) may come first or right after the subcommand; inside an
 * incident's channel it may be left out.
 *
 *   /incident <playbook-id|alias> [summary...]
 *   /incident list | playbooks | help
 *   /incident health [check|group]
 *   /incident token status | refresh <provider>
 *   /incident ack | escalate [level] | severity <sev1..sev4> | note <text>
 *   /incident step <n> done|skip
 *   /incident resolve [summary] | mitigate [summary] | timeline | report
 *   /incident rollback [action] | commander <@user>
 *   /incident page-test [@someone]
 *   /incident change <runbook> [summary] | change status | change abort [CHG-n] [reason]   (changeCommand.ts)
 *   /incident oncall [schedule] | oncall override … | oncall swap …   (oncallCommand.ts)
 */
export type Command =
  | { kind: 'open'; playbook: string; summary: string }
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'playbooks' }
  | { kind: 'health'; target?: string; key?: string }
  | { kind: 'token-status' }
  | { kind: 'token-refresh'; provider: string; key?: string }
  | { kind: 'ack'; key?: string }
  | { kind: 'escalate'; level?: number; key?: string }
  | { kind: 'severity'; severity: Severity; key?: string }
  | { kind: 'note'; text: string; key?: string }
  | { kind: 'step'; step: number; to: 'done' | 'skip'; key?: string }
  | { kind: 'resolve'; summary: string; key?: string }
  | { kind: 'mitigate'; summary: string; key?: string }
  | { kind: 'timeline'; key?: string }
  | { kind: 'report'; key?: string }
  | { kind: 'rollback'; action?: string; key?: string }
  | { kind: 'commander'; user: string; key?: string }
  | { kind: 'page-test'; user?: string }
  | OncallCommand
  | ChangeCommand;

export type Parsed = { ok: true; command: Command } | { ok: false; error: string };

/** Commands that act on one incident and so need one: named, or implied by the channel. */
export const INCIDENT_COMMANDS = [
  'ack',
  'escalate',
  'severity',
  'note',
  'step',
  'resolve',
  'mitigate',
  'timeline',
  'report',
  'rollback',
  'commander',
] as const;

const KEY = /^inc-(\d{1,9})$/i;
const ARGUMENT_COMMANDS = new Set([
  'ack',
  'acknowledge',
  'escalate',
  'severity',
  'sev',
  'step',
  'timeline',
  'report',
  'rollback',
  'commander',
  'health',
]);
const fail = (error: string): Parsed => ({ ok: false, error });
const ok = (command: Command): Parsed => ({ ok: true, command });

export function isIncidentKey(word: string | undefined): word is string {
  return word !== undefined && KEY.test(word);
}

export function normalizeKey(word: string): string {
  return `INC-${Number(KEY.exec(word)![1])}`;
}

/** Where details go that do not fit in a command or a summary. */
const LONG_TEXT_HINT = "Put long details in a note in the incident's thread.";
const SUMMARY_HINT = 'add details with `/incident note` once the incident is open.';

export function parseCommand(raw: string): Parsed {
  if (length(raw) > MAX_COMMAND_TEXT)
    return fail(
      `That is ${length(raw)} characters; \`/incident\` takes at most ${MAX_COMMAND_TEXT}. ${LONG_TEXT_HINT}`,
    );
  const text = cleanText(raw, { multiline: true });
  if (text === '') return ok({ kind: 'help' });
  const words = text.split(/\s+/);
  let key: string | undefined;
  if (isIncidentKey(words[0])) key = normalizeKey(words.shift()!);
  const head = (words.shift() ?? '').toLowerCase();
  if (isIncidentKey(words[0]) && key === undefined && head !== '') key = normalizeKey(words.shift()!);
  // Commands whose arguments are not free text take the key anywhere: `/incident escalate 3 INC-42`.
  if (key === undefined && ARGUMENT_COMMANDS.has(head)) {
    const at = words.findIndex((w) => isIncidentKey(w));
    if (at >= 0) key = normalizeKey(words.splice(at, 1)[0]!);
  }
  const rest = words.join(' ');
  const withKey = (command: Command): Parsed => ok(key ? ({ ...command, key } as Command) : command);

  switch (head) {
    case '':
      return fail(`\`/incident ${key}\` needs a subcommand, such as \`/incident ${key} timeline\`.`);
    case 'help':
      return ok({ kind: 'help' });
    case 'list':
      return ok({ kind: 'list' });
    case 'playbooks':
      return ok({ kind: 'playbooks' });
    case 'health':
      return withKey({ kind: 'health', ...(words[0] ? { target: words[0].toLowerCase() } : {}) });
    case 'token': {
      const verb = words[0]?.toLowerCase();
      if (verb === 'status' || verb === undefined) return ok({ kind: 'token-status' });
      if (verb === 'refresh') {
        if (!words[1])
          return fail(
            'Name the token provider: `/incident token refresh <provider>`. `/incident token status` lists them.',
          );
        return withKey({ kind: 'token-refresh', provider: words[1].toLowerCase() });
      }
      return fail('`/incident token` takes `status` or `refresh <provider>`.');
    }
    case 'ack':
    case 'acknowledge':
      return withKey({ kind: 'ack' });
    case 'escalate': {
      if (words.length === 0) return withKey({ kind: 'escalate' });
      const level = /^(?:l|level)?(\d)$/i.exec(words.join(''));
      if (!level)
        return fail('Give the level as a number: `/incident escalate 2`, or leave it out to page the next level.');
      return withKey({ kind: 'escalate', level: Number(level[1]) });
    }
    case 'severity':
    case 'sev': {
      const severity = words[0] ? parseSeverity(words[0]) : undefined;
      if (!severity) return fail('Give a severity from `sev1` (critical) to `sev4` (low): `/incident severity sev2`.');
      return withKey({ kind: 'severity', severity });
    }
    case 'note': {
      // Keep the note's own line breaks: take it from the text, not the split words.
      const note = cleanText(text.replace(/^(inc-\d+\s+)?note(\s+inc-\d+)?\s*/i, ''), { multiline: true });
      if (note === '') return fail('Write the note after the word: `/incident note restarted the worker at 10:42`.');
      if (length(note) > MAX_NOTE)
        return fail(`That note is ${length(note)} characters; notes take at most ${MAX_NOTE}. Split it in two.`);
      return withKey({ kind: 'note', text: note });
    }
    case 'step': {
      const [number, verb] = words;
      const step = number && /^\d{1,3}$/.test(number) ? Number(number) : NaN;
      const to = verb?.toLowerCase() === 'done' ? 'done' : verb?.toLowerCase() === 'skip' ? 'skip' : undefined;
      if (!Number.isInteger(step) || step < 1 || !to)
        return fail(
          'Write it as `/incident step <n> done` or `/incident step <n> skip`, e.g. `/incident step 2 done`.',
        );
      return withKey({ kind: 'step', step, to });
    }
    case 'resolve':
    case 'mitigate': {
      const summary = cleanText(rest);
      if (length(summary) > MAX_SUMMARY)
        return fail(
          `That summary is ${length(summary)} characters; keep it under ${MAX_SUMMARY} and add details with \`/incident note\`.`,
        );
      return withKey({ kind: head, summary });
    }
    case 'timeline':
      return withKey({ kind: 'timeline' });
    case 'report':
      return withKey({ kind: 'report' });
    case 'rollback':
      return withKey({ kind: 'rollback', ...(words[0] ? { action: words[0].toLowerCase() } : {}) });
    case 'oncall': {
      if (key !== undefined) return fail('`/incident oncall` is not about one incident: leave the key out.');
      const oncall = parseOncallCommand(words, parseUserReference);
      return oncall.ok ? ok(oncall.command) : fail(oncall.error);
    }
    case 'change': {
      if (key !== undefined) return fail('`/incident change` is not about an incident: leave the INC key out.');
      const change = parseChangeCommand(text.replace(/^change\s*/i, ''));
      return change.ok ? ok(change.command) : fail(change.error);
    }
    case 'commander': {
      const user = parseUserReference(words[0]);
      if (!user) return fail('Name the new commander: `/incident commander @ada`.');
      return withKey({ kind: 'commander', user });
    }
    case 'page-test': {
      if (!words[0]) return ok({ kind: 'page-test' });
      const user = parseUserReference(words[0]);
      if (!user || words.length > 1)
        return fail('Name one person: `/incident page-test @ada`, or leave it out to test your own setup.');
      return ok({ kind: 'page-test', user });
    }
    default: {
      if (key !== undefined)
        return fail(`${codeSpan(head)} is not something \`/incident ${key}\` understands. Try \`/incident help\`.`);
      const summary = cleanText(rest);
      if (length(summary) > MAX_SUMMARY)
        return fail(`That summary is ${length(summary)} characters; keep it under ${MAX_SUMMARY} and ${SUMMARY_HINT}`);
      return ok({ kind: 'open', playbook: head, summary });
    }
  }
}

/** `<@U123>`, `<@U123|ada>`, `U123` or `@ada`: a user id, or a `@handle` to look up. */
export function parseUserReference(word: string | undefined): string | undefined {
  if (!word) return undefined;
  const mention = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(word);
  if (mention) return mention[1];
  if (/^[UW][A-Z0-9]{2,}$/.test(word)) return word;
  if (/^@[a-z0-9._-]{1,80}$/i.test(word)) return word.toLowerCase();
  return undefined;
}
