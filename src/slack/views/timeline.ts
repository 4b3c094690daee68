import { formatDuration } from '../../domain/duration.js';
import type { Incident } from '../../domain/incident.js';
import { describeEvent } from '../../domain/describe.js';
import type { TimelineEvent } from '../../domain/timeline.js';
import {
  type Blocks,
  LIMITS,
  type SlackMessage,
  actions,
  button,
  context,
  mention,
  section,
  slackDate,
  userText,
} from '../../blockKit/blocks.js';

export function timelineLine(event: TimelineEvent, openedAt: Date): string {
  const offset = formatDuration(Math.max(0, event.occurredAt.getTime() - openedAt.getTime()));
  return `${slackDate(event.occurredAt, '{time_secs}')} (+${offset}) ${mention(event.actor)} ${describeEvent(
    event,
    mention,
    (text) => userText(text, 300),
    (id) => `<#${id}>`,
  )}`;
}

/**
 * A page of the timeline as an ephemeral message: events packed into
 * sections under 3000 characters, with Older / Newer buttons past the limits.
 */
export function timelineMessage(
  incident: Incident,
  events: TimelineEvent[],
  offset: number,
  total: number,
  pageSize: number,
): SlackMessage {
  const shown = `events ${total === 0 ? 0 : offset + 1}–${offset + events.length} of ${total}`;
  const blocks: Blocks = [section(`*Timeline of ${incident.key}* · ${userText(incident.title, 100)} · ${shown}`)];
  let chunk = '';
  for (const event of events) {
    const line = timelineLine(event, incident.openedAt);
    if (chunk.length + line.length + 1 > LIMITS.sectionText - 100) {
      blocks.push(section(chunk));
      chunk = '';
    }
    chunk += `${line}\n`;
  }
  if (chunk) blocks.push(section(chunk));
  const nav = [];
  if (offset > 0)
    nav.push(button('◀ Earlier', 'timeline.page.earlier', `${incident.id}:${Math.max(0, offset - pageSize)}`));
  if (offset + events.length < total)
    nav.push(button('Later ▶', 'timeline.page.later', `${incident.id}:${offset + pageSize}`));
  if (nav.length) blocks.push(actions('timeline.nav', nav));
  else blocks.push(context('The whole timeline is also in `/incident report`.'));
  return { text: `Timeline of ${incident.key}`, blocks: blocks.slice(0, LIMITS.messageBlocks) };
}
