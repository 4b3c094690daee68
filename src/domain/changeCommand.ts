import { MAX_SUMMARY, cleanText, length } from './text.js';
import { presentProps } from './defined.js';

/**
 * The `/incident change` grammar (a change: a deployment walked through GO/NO-GO gates):
 *
 *   /incident change <runbook> [summary]       start a change from a `kind: change` runbook
 *   /incident change status                    the open changes, their phase and gate
 *   /incident change abort [CHG-n] [reason]    abort one (the only open one when the key is left out)
 */
export type ChangeCommand =
  | { kind: 'change-start'; runbook: string; summary: string }
  | { kind: 'change-status' }
  | { kind: 'change-abort'; change?: string; reason: string };

export type ChangeParsed = { ok: true; command: ChangeCommand } | { ok: false; error: string };

const CHANGE_KEY = /^chg-(\d{1,9})$/i;

export function isChangeKey(word: string | undefined): word is string {
  return word !== undefined && CHANGE_KEY.test(word);
}

export const normalizeChangeKey = (word: string): string => `CHG-${Number(CHANGE_KEY.exec(word)![1])}`;

const USAGE =
  'Write it as `/incident change <runbook> [summary]`, `/incident change status` or ' +
  '`/incident change abort [CHG-n] [reason]`.';

/** `rest`: what follows the word `change`. */
export function parseChangeCommand(rest: string): ChangeParsed {
  const words = cleanText(rest).split(/\s+/).filter(Boolean);
  const head = words.shift()?.toLowerCase();
  if (head === undefined) return { ok: false, error: `Name the change runbook. ${USAGE}` };
  if (head === 'status') {
    if (words.length) return { ok: false, error: '`/incident change status` takes nothing after it.' };
    return { ok: true, command: { kind: 'change-status' } };
  }
  if (head === 'abort') {
    const change = isChangeKey(words[0]) ? normalizeChangeKey(words.shift()!) : undefined;
    const reason = words.join(' ');
    if (length(reason) > MAX_SUMMARY)
      return { ok: false, error: `That reason is ${length(reason)} characters; keep it under ${MAX_SUMMARY}.` };
    return { ok: true, command: { kind: 'change-abort', ...presentProps({ change }), reason } };
  }
  if (isChangeKey(head)) return { ok: false, error: `${normalizeChangeKey(head)} is already started. ${USAGE}` };
  const summary = words.join(' ');
  if (length(summary) > MAX_SUMMARY)
    return { ok: false, error: `That summary is ${length(summary)} characters; keep it under ${MAX_SUMMARY}.` };
  return { ok: true, command: { kind: 'change-start', runbook: head, summary } };
}
