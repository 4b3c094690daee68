import {
  channelLink,
  context,
  fields,
  mention,
  section,
  slackDate,
  userText,
  usergroupMention,
} from '../blockKit/blocks.js';
import { formatDuration } from '../domain/duration.js';
import { truncate } from '../domain/text.js';
import type { OutgoingMessage } from './deliver.js';

/** The incident as a status update describes it, captured when the update was decided. */
export interface IncidentFacts {
  /** An incident, or a change (a deployment through gates: no escalation level, a lead instead of a commander). */
  kind?: 'incident' | 'change';
  key: string;
  title: string;
  severityLabel: string;
  status: string;
  level: number;
  levelName?: string;
  commander: string;
  channelId: string | null;
  summary: string;
  symptom: string;
}

export type UpdateReason =
  | { kind: 'opened' }
  | { kind: 'severity'; from: string; to: string }
  | { kind: 'escalated'; level: number; levelName?: string }
  | { kind: 'mitigated'; summary?: string }
  | { kind: 'resolved'; summary?: string; durationMs: number }
  | { kind: 'change-halted'; gate: number; title: string }
  | { kind: 'change-ended'; how: 'completed' | 'aborted'; reason?: string; durationMs: number };

/** A time of day in the reader's own time zone. */
const dateOf = (at: Date) => slackDate(at, '{time}');

function whatHappened(facts: IncidentFacts, reason: UpdateReason): string {
  switch (reason.kind) {
    case 'opened':
      return facts.kind === 'change'
        ? `A change was started: ${userText(facts.title, 150)}.`
        : `An incident was opened: ${userText(facts.title, 150)}.`;
    case 'change-halted':
      return `The change is halted: NO-GO at gate ${reason.gate} (${userText(reason.title, 150)}); its rollback is offered.`;
    case 'change-ended':
      return reason.how === 'completed'
        ? `The change is completed after ${formatDuration(reason.durationMs)}: every gate GO.`
        : `The change was aborted after ${formatDuration(reason.durationMs)}${reason.reason ? `: ${userText(reason.reason, 500)}` : '.'}`;
    case 'severity':
      return `The severity changed from ${reason.from} to ${reason.to}.`;
    case 'escalated':
      return `Escalated to level ${reason.level}${reason.levelName ? ` (${userText(reason.levelName, 80)})` : ''}.`;
    case 'mitigated':
      return `The impact is mitigated${reason.summary ? `: ${userText(reason.summary, 500)}` : '.'}`;
    case 'resolved':
      return `Resolved after ${formatDuration(reason.durationMs)}${reason.summary ? `: ${userText(reason.summary, 500)}` : '.'}`;
  }
}

/**
 * One format for every stakeholder update: what happened, impact, current
 * state, next update. The same four headings every time, so a reader skims.
 */
export function statusUpdate(
  facts: IncidentFacts,
  reason: UpdateReason,
  nextUpdateAt: Date | undefined,
): OutgoingMessage {
  const happened = whatHappened(facts, reason);
  const impact = `${facts.severityLabel} · ${userText(facts.summary || facts.symptom, 400)}`;
  const levelName = facts.levelName ? ` (${userText(facts.levelName, 60)})` : '';
  const state =
    facts.kind === 'change'
      ? `${facts.status === 'resolved' ? 'ended' : 'in progress'} · lead ${mention(facts.commander)}`
      : `${facts.status} · escalation level ${facts.level}${levelName} · commander ${mention(facts.commander)}`;
  const last = reason.kind === 'resolved' || reason.kind === 'change-ended';
  const next = last
    ? 'None: this is the last update.'
    : nextUpdateAt
      ? `By ${dateOf(nextUpdateAt)}, or sooner if anything changes.`
      : 'When anything changes.';
  return {
    text: `${facts.key} ${userText(facts.title, 150)}: ${happened}`,
    blocks: [
      section(`*${facts.key} · ${userText(facts.title, 150)}* — status update`),
      fields(
        `*What happened*\n${happened}`,
        `*Impact*\n${impact}`,
        `*Current state*\n${state}`,
        `*Next update*\n${next}`,
      ),
      ...(facts.channelId
        ? [context(`Follow the ${facts.kind ?? 'incident'} in ${channelLink(facts.channelId)}.`)]
        : []),
    ],
  };
}

export interface PageFacts {
  key: string;
  title: string;
  level: number;
  levelName: string;
  usergroups: string[];
  users: string[];
  playbooks: string[];
  steps: string[];
  late?: { byMs: number };
  channelId: string | null;
  /** Each schedule the level pages and who was on call for it (null: nobody, so the fallback is paged). */
  onCall?: Array<{ schedule: string; user: string | null }>;
}

/** The empty slots of a page, said in the thread: nobody on call, so the fallback is paged instead. */
function emptySlots(page: PageFacts): string {
  const empty = (page.onCall ?? [])
    .filter((slot) => slot.user === null)
    .map((slot) => `\`${userText(slot.schedule, 40)}\``);
  return empty.length ? `Nobody is on call for ${empty.join(', ')}: paging the level's fallback.` : '';
}

/** The page in the incident's thread: the level's user groups and people, and what they reach for. */
export function pageInThread(page: PageFacts): OutgoingMessage {
  const who =
    [...page.usergroups.map(usergroupMention), ...page.users.map(mention)].join(' ') ||
    'nobody is configured for this level';
  const reach = [
    page.playbooks.length ? `playbooks ${page.playbooks.map((p) => `\`${userText(p, 40)}\``).join(', ')}` : '',
    page.steps.length ? `steps: ${page.steps.map((s) => userText(s, 80)).join('; ')}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const late = page.late ? ` _(late by ${formatDuration(page.late.byMs)}: the bot was down when this fell due)_` : '';
  return {
    text: `Paging level ${page.level} (${userText(page.levelName, 80)}) for ${page.key}${lateText(page)}`,
    blocks: [
      section(`:rotating_light: ${who}: you are paged for ${incidentOf(page)} — ${levelOf(page)}.${late}`),
      ...(emptySlots(page) ? [context(`:warning: ${emptySlots(page)}`)] : []),
      ...(reach ? [context(`This level reaches for ${reach}.`)] : []),
      context('Press *Acknowledge* on the incident message (or `/incident ack`) to stop the clock.'),
    ],
  };
}

/** The plain-text note of a late page (notifications and screen readers show `text`). */
const lateText = (page: PageFacts) => (page.late ? ` (late by ${formatDuration(page.late.byMs)})` : '');

/** A page as one line of a page digest (and of the DM): the incident, the level, where to acknowledge. */
export function pageLine(page: PageFacts): string {
  const where = page.channelId ? ` in ${channelLink(page.channelId)}` : '';
  return `${incidentOf(page)} (${levelOf(page)})${where}`;
}

export function pageByDirectMessage(page: PageFacts): OutgoingMessage {
  const late = page.late
    ? ` _(This page is late by ${formatDuration(page.late.byMs)}: the bot was down when it fell due.)_`
    : '';
  const paged = `You are paged for ${pageLine(page)}`;
  return {
    text: `You are paged for ${page.key}: level ${page.level}, ${userText(page.levelName, 80)}${lateText(page)}`,
    blocks: [section(`:rotating_light: ${paged}. Acknowledge there to stop the escalation clock.${late}`)],
  };
}

/** The Slack part of `/incident page-test`. */
export function testPageByDirectMessage(): OutgoingMessage {
  return {
    text: 'Test page from incident-bot',
    blocks: [section(':bell: This is a test page from incident-bot: Slack direct messages reach you. Nothing to do.')],
  };
}

export function deadlineReminder(commander: string, title: string, dueAt: Date): OutgoingMessage {
  return {
    text: `Reminder: ${userText(title, 100)} is due soon`,
    blocks: [section(`:alarm_clock: ${mention(commander)}: *${userText(title, 100)}* is due at ${dateOf(dueAt)}.`)],
  };
}

export function deadlineMissed(commander: string, title: string, dueAt: Date): OutgoingMessage {
  return {
    text: `Missed: ${userText(title, 100)}`,
    blocks: [
      section(
        `:x: ${mention(commander)}: *${userText(title, 100)}* was due at ${dateOf(dueAt)} and is not done. It is recorded as missed.`,
      ),
    ],
  };
}

/** To the opener, when Slack keeps failing to create an incident's channel or post its message. */
export function placeFailed(key: string, title: string, attempts: number): OutgoingMessage {
  const failed = `Slack failed ${attempts} times to create its channel or post its message`;
  return {
    text: `${key} is open, but Slack keeps failing to create its channel`,
    blocks: [
      section(
        `:warning: *${key}* · ${userText(title, 150)} is open, but ${failed}. ` +
          `The bot keeps trying; nobody is paged until it is visible. \`/incident list\` shows it.`,
      ),
    ],
  };
}

/** To the opener who was told of failures: the incident is visible now. */
export function placedAfterFailures(key: string, channelId: string): OutgoingMessage {
  return {
    text: `${key} is ready`,
    blocks: [
      section(
        `:white_check_mark: *${key}* is ready: follow it in ${channelLink(channelId)}. Its responders are paged now.`,
      ),
    ],
  };
}

const incidentOf = (page: PageFacts) => `*${page.key}* · ${userText(page.title, 150)}`;
const levelOf = (page: PageFacts) => `level ${page.level}, ${userText(page.levelName, 80)}`;

/** A section's text may be 3,000 characters (Block Kit); a digest line is a summary, so it is kept short. */
const SECTION_TEXT_MAX = 3_000;
const DIGEST_LINE_MAX = 280;

/**
 * Several incidents' updates to one channel or person, waiting while its posts were paced, as one post: a line per
 * update (its own notification text: key, title, what happened), oldest first, packed into as few sections as fit,
 * so a digest of 100 updates is about ten blocks (Slack allows 50).
 */
export function stakeholderDigest(updates: readonly OutgoingMessage[], incidents: number): OutgoingMessage {
  const head = `${incidents} ${incidents === 1 ? 'incident' : 'incidents'} changed`;
  const count = updates.length > incidents ? ` (${updates.length} updates)` : '';
  const lines = updates.map((update) => `• ${truncate(update.text, DIGEST_LINE_MAX)}`);
  return {
    text: truncate(`${head}: ${updates.map((update) => update.text).join(' · ')}`, 3_000),
    blocks: [section(`*${head}*${count}`), ...packLines(lines, SECTION_TEXT_MAX).map((text) => section(text))],
  };
}

/**
 * The pages that waited for one person's DM while its messages were paced, as one message: a line per page (its
 * own notification text: incident, level), oldest first.
 */
export function pageDigest(
  pages: ReadonlyArray<{ message: OutgoingMessage; line?: string | undefined }>,
): OutgoingMessage {
  const head = `You are paged for ${pages.length} incidents`;
  const lines = pages.map((page) => `• ${truncate(page.line ?? page.message.text, DIGEST_LINE_MAX)}`);
  return {
    text: truncate(`${head}: ${pages.map((page) => page.message.text).join(' · ')}`, 3_000),
    blocks: [
      section(`:rotating_light: *${head}*. Acknowledge in each incident's channel to stop its escalation clock.`),
      ...packLines(lines, SECTION_TEXT_MAX).map((text) => section(text)),
    ],
  };
}

/** Lines joined into as few texts of at most `max` characters as they fit in, in order. */
function packLines(lines: readonly string[], max: number): string[] {
  const packed: string[] = [];
  for (const line of lines) {
    const last = packed.at(-1);
    if (last !== undefined && last.length + 1 + line.length <= max) packed[packed.length - 1] = `${last}\n${line}`;
    else packed.push(line);
  }
  return packed;
}
