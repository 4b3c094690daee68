import { formatDuration } from '../domain/duration.js';
import { escapeMrkdwn, truncate } from '../domain/text.js';
import type { OutgoingMessage } from './deliver.js';

/** The incident as a status update describes it, captured when the update was decided. */
export interface IncidentFacts {
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
  | { kind: 'resolved'; summary?: string; durationMs: number };

const dateOf = (at: Date, format = '{time}') =>
  `<!date^${Math.floor(at.getTime() / 1000)}^${format}|${at.toISOString().slice(11, 16)} UTC>`;
const safe = (text: string, max: number) => escapeMrkdwn(truncate(text, max));
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3_000) } });
const context = (text: string) => ({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, 3_000) }] });

function whatHappened(facts: IncidentFacts, reason: UpdateReason): string {
  switch (reason.kind) {
    case 'opened':
      return `An incident was opened: ${safe(facts.title, 150)}.`;
    case 'severity':
      return `The severity changed from ${reason.from} to ${reason.to}.`;
    case 'escalated':
      return `Escalated to level ${reason.level}${reason.levelName ? ` (${safe(reason.levelName, 80)})` : ''}.`;
    case 'mitigated':
      return `The impact is mitigated${reason.summary ? `: ${safe(reason.summary, 500)}` : '.'}`;
    case 'resolved':
      return `Resolved after ${formatDuration(reason.durationMs)}${reason.summary ? `: ${safe(reason.summary, 500)}` : '.'}`;
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
  const impact = `${facts.severityLabel} · ${safe(facts.summary || facts.symptom, 400)}`;
  const levelName = facts.levelName ? ` (${safe(facts.levelName, 60)})` : '';
  const state = `${facts.status} · escalation level ${facts.level}${levelName} · commander <@${facts.commander}>`;
  const next =
    reason.kind === 'resolved'
      ? 'None: this is the last update.'
      : nextUpdateAt
        ? `By ${dateOf(nextUpdateAt)}, or sooner if anything changes.`
        : 'When anything changes.';
  return {
    text: `${facts.key} ${safe(facts.title, 150)}: ${happened}`,
    blocks: [
      section(`*${facts.key} · ${safe(facts.title, 150)}* — status update`),
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*What happened*\n${happened}` },
          { type: 'mrkdwn', text: `*Impact*\n${impact}` },
          { type: 'mrkdwn', text: `*Current state*\n${state}` },
          { type: 'mrkdwn', text: `*Next update*\n${next}` },
        ],
      },
      ...(facts.channelId ? [context(`Follow the incident in <#${facts.channelId}>.`)] : []),
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
}

/** The page in the incident's thread: the level's user groups and people, and what they reach for. */
export function pageInThread(page: PageFacts): OutgoingMessage {
  const who =
    [...page.usergroups.map((g) => `<!subteam^${g}>`), ...page.users.map((u) => `<@${u}>`)].join(' ') ||
    'nobody is configured for this level';
  const reach = [
    page.playbooks.length ? `playbooks ${page.playbooks.map((p) => `\`${safe(p, 40)}\``).join(', ')}` : '',
    page.steps.length ? `steps: ${page.steps.map((s) => safe(s, 80)).join('; ')}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const late = page.late ? ` _(late by ${formatDuration(page.late.byMs)}: the bot was down when this fell due)_` : '';
  return {
    text: `Paging level ${page.level} (${safe(page.levelName, 80)}) for ${page.key}${lateText(page)}`,
    blocks: [
      section(`:rotating_light: ${who}: you are paged for ${incidentOf(page)} — ${levelOf(page)}.${late}`),
      ...(reach ? [context(`This level reaches for ${reach}.`)] : []),
      context('Press *Acknowledge* on the incident message (or `/incident ack`) to stop the clock.'),
    ],
  };
}

/** The plain-text note of a late page (notifications and screen readers show `text`). */
const lateText = (page: PageFacts) => (page.late ? ` (late by ${formatDuration(page.late.byMs)})` : '');

export function pageByDirectMessage(page: PageFacts): OutgoingMessage {
  const where = page.channelId ? ` in <#${page.channelId}>` : '';
  const late = page.late
    ? ` _(This page is late by ${formatDuration(page.late.byMs)}: the bot was down when it fell due.)_`
    : '';
  const paged = `You are paged for ${incidentOf(page)} (${levelOf(page)})${where}`;
  return {
    text: `You are paged for ${page.key}: level ${page.level}, ${safe(page.levelName, 80)}${lateText(page)}`,
    blocks: [section(`:rotating_light: ${paged}. Acknowledge there to stop the escalation clock.${late}`)],
  };
}

export function deadlineReminder(commander: string, title: string, dueAt: Date): OutgoingMessage {
  return {
    text: `Reminder: ${safe(title, 100)} is due soon`,
    blocks: [section(`:alarm_clock: <@${commander}>: *${safe(title, 100)}* is due at ${dateOf(dueAt)}.`)],
  };
}

export function deadlineMissed(commander: string, title: string, dueAt: Date): OutgoingMessage {
  return {
    text: `Missed: ${safe(title, 100)}`,
    blocks: [
      section(
        `:x: <@${commander}>: *${safe(title, 100)}* was due at ${dateOf(dueAt)} and is not done. It is recorded as missed.`,
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
        `:warning: *${key}* · ${safe(title, 150)} is open, but ${failed}. ` +
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
      section(`:white_check_mark: *${key}* is ready: follow it in <#${channelId}>. Its responders are paged now.`),
    ],
  };
}

const incidentOf = (page: PageFacts) => `*${page.key}* · ${safe(page.title, 150)}`;
const levelOf = (page: PageFacts) => `level ${page.level}, ${safe(page.levelName, 80)}`;
