import type { PageRule } from '../config/paging.js';

/** One rule of a person's chain, planned: when it fires, counted from the page that started it. */
export interface PlannedRule {
  /** Its place in the person's list, from 1 (the timeline names it). */
  rule: number;
  via: PageRule['via'];
  dueAt: Date;
}

/**
 * The rules a page starts for one person. A Slack rule due at once is the level's own direct message (sent with
 * the page itself), so it is not planned again; every other rule is, at `after` from the page.
 */
export function planRules(rules: readonly PageRule[], pagedAt: Date): PlannedRule[] {
  return rules
    .map((r, i) => ({ rule: i + 1, via: r.via, dueAt: new Date(pagedAt.getTime() + r.after) }))
    .filter((r, i) => !(r.via === 'slack' && rules[i]!.after === 0));
}

/** What a text message or a key press says: an acknowledgement, maybe naming the incident. */
export type PhoneReply = { kind: 'ack'; key?: string } | { kind: 'resolve'; key?: string } | { kind: 'unknown' };

/** `ACK`, `1`, `ack INC-42`, `RESOLVE INC-42`: what a person texts back (any case, any spacing). */
export function parsePhoneReply(text: string): PhoneReply {
  const words = text.trim().split(/\s+/);
  const verb = (words[0] ?? '').toLowerCase();
  const key = words.slice(1).find((w) => /^inc-\d{1,9}$/i.test(w));
  const named = key ? { key: `INC-${Number(key.slice(4))}` } : {};
  if (['ack', 'acknowledge', '1', 'ok', 'yes'].includes(verb)) return { kind: 'ack', ...named };
  if (['resolve', 'resolved'].includes(verb)) return { kind: 'resolve', ...named };
  return { kind: 'unknown' };
}
