import { formatDuration } from '../../config/duration.js';
import type { Incident } from '../../domain/incident.js';
import type { TimelineEvent } from '../../domain/timeline.js';
import { type Blocks, LIMITS, type SlackMessage, actions, button, context, mention, section, slackDate, userText } from './blocks.js';

/** One line per event: what a person reading the timeline needs to know. */
export function describeEvent(event: TimelineEvent): string {
  const d = event.data as Record<string, unknown>;
  const str = (key: string) => (typeof d[key] === 'string' || typeof d[key] === 'number' ? userText(String(d[key]), 300) : '');
  const step = () => `step ${str('step')}${d.title ? ` (${str('title')})` : ''}`;
  switch (event.kind) {
    case 'incident.opened': return `opened the incident${d.summary ? `: ${str('summary')}` : ''}`;
    case 'incident.acknowledged': return 'acknowledged';
    case 'incident.mitigated': return `marked it mitigated${d.summary ? `: ${str('summary')}` : ''}`;
    case 'incident.resolved': return `resolved it${d.summary ? `: ${str('summary')}` : ''}`;
    case 'incident.severity_changed': return `changed severity ${str('from')} → ${str('to')}`;
    case 'incident.commander_changed': return `handed command to ${mention(String(d.to))}`;
    case 'incident.escalated': return `escalated level ${str('from')} → ${str('to')}${d.manual ? '' : d.late ? ' (late: the bot was down when it fell due)' : ' (no acknowledgement in time)'}`;
    case 'note.added': return `noted: ${str('text')}`;
    case 'step.done': return `finished ${step()}`;
    case 'step.skipped': return `skipped ${step()}`;
    case 'step.failed': return `${step()} failed${d.reason ? `: ${str('reason')}` : ''}`;
    case 'step.started': return `started ${step()}`;
    case 'step.requested': return `asked to run ${step()}: ${str('runner')} \`${str('name')}\`${d.configured === false ? ' (not configured)' : ''}`;
    case 'check.result': return `check \`${str('check')}\`: ${str('status')}${typeof d.latencyMs === 'number' ? ` in ${formatDuration(d.latencyMs)}` : ''}${d.failure ? ` — ${str('failure')}` : ''}`;
    case 'token.refreshed': return `refreshed token \`${str('provider')}\``;
    case 'token.refresh_failed': return `token \`${str('provider')}\` refresh failed: ${str('error')}`;
    case 'escalation.paged': return `paged level ${str('level')}${d.name ? ` (${str('name')})` : ''}`;
    case 'escalation.stopped': return `escalation stopped: ${str('reason')}`;
    case 'deadline.reminded': return `reminded: ${str('title')} is due soon`;
    case 'deadline.met': return `met deadline: ${str('title')}`;
    case 'deadline.missed': return `missed deadline: ${str('title')}`;
    case 'notification.sent': return `notified stakeholders (${str('reason')})`;
    case 'notification.failed': return `could not notify stakeholders: ${str('error')}`;
    case 'timeline.viewed': return 'viewed the timeline';
    case 'report.posted': return 'posted the incident report';
    default: return `${event.kind.replace('.', ' ')}${d.action ? ` \`${str('action')}\`` : ''}${d.outcome ? `: ${str('outcome')}` : ''}`;
  }
}

export function timelineLine(event: TimelineEvent, openedAt: Date): string {
  const offset = formatDuration(Math.max(0, event.occurredAt.getTime() - openedAt.getTime()));
  return `${slackDate(event.occurredAt, '{time_secs}')} (+${offset}) ${mention(event.actor)} ${describeEvent(event)}`;
}

/**
 * A page of the timeline as an ephemeral message: events packed into
 * sections under 3000 characters, with Older / Newer buttons past the limits.
 */
export function timelineMessage(incident: Incident, events: TimelineEvent[], offset: number, total: number, pageSize: number): SlackMessage {
  const blocks: Blocks = [section(`*Timeline of ${incident.key}* · ${userText(incident.title, 100)} · events ${total === 0 ? 0 : offset + 1}–${offset + events.length} of ${total}`)];
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
  if (offset > 0) nav.push(button('◀ Earlier', 'timeline.page.earlier', `${incident.id}:${Math.max(0, offset - pageSize)}`));
  if (offset + events.length < total) nav.push(button('Later ▶', 'timeline.page.later', `${incident.id}:${offset + pageSize}`));
  if (nav.length) blocks.push(actions('timeline.nav', nav));
  else blocks.push(context('The whole timeline is also in `/incident report`.'));
  return { text: `Timeline of ${incident.key}`, blocks: blocks.slice(0, LIMITS.messageBlocks) };
}
