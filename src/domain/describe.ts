import { formatDuration } from '../config/duration.js';
import type { TimelineEvent } from './timeline.js';

/**
 * One plain-text line per timeline event: what a person reading the timeline
 * needs to know. Slack messages escape it; the Markdown report uses it as is.
 */
export function describeEvent(
  event: TimelineEvent,
  who: (user: string) => string = (user) => `@${user}`,
  quote: (text: string) => string = (text) => text,
  channel: (id: string) => string = (id) => `#${id}`,
): string {
  const d = event.data;
  // Free text from the data is passed through `quote` (Slack escapes it); user ids through `who`.
  const str = (key: string) =>
    typeof d[key] === 'string' || typeof d[key] === 'number' ? quote(String(d[key]).slice(0, 300)) : '';
  const step = () => `step ${str('step')}${d.title ? ` (${str('title')})` : ''}`;
  const user = (key: string) => (typeof d[key] === 'string' ? who(String(d[key])) : '');
  // A destination is a channel or a person (a direct message).
  const place = (key: string) =>
    typeof d[key] !== 'string' ? '' : /^[UW]/.test(String(d[key])) ? who(String(d[key])) : channel(String(d[key]));
  switch (event.kind) {
    case 'incident.opened':
      return `opened the incident${d.summary ? `: ${str('summary')}` : ''}`;
    case 'incident.acknowledged':
      return 'acknowledged';
    case 'incident.placed':
      return `made it visible in ${place('channelId')}${
        Number(d.attempts) > 1
          ? ` after ${str('attempts')} attempts (${formatDuration(Number(d.afterMs))} after it was opened)`
          : ''
      }`;
    case 'incident.place_failed':
      return (
        `could not create its channel or live message after ${str('attempts')} attempts (${str('error')}); ` +
        'still trying, nobody paged yet'
      );
    case 'incident.mitigated':
      return `marked it mitigated${d.summary ? `: ${str('summary')}` : ''}`;
    case 'incident.resolved':
      return `resolved it${d.summary ? `: ${str('summary')}` : ''}`;
    case 'incident.severity_changed':
      return `changed severity ${str('from')} → ${str('to')}`;
    case 'incident.commander_changed':
      return `handed command to ${user('to')}`;
    case 'incident.escalated':
      return `escalated level ${str('from')} → ${str('to')}${d.manual ? ' by hand' : d.late ? ` (late by ${formatDuration(Number(d.lateByMs))}: the bot was down when it fell due)` : d.clock === 'ack' ? ' (nobody acknowledged in time)' : d.clock === 'unresolved' ? ' (still unresolved)' : ''}${d.repeat ? `, starting round ${Number(d.repeat) + 1}` : ''}`;
    case 'note.added':
      return `noted: ${str('text')}`;
    case 'step.done':
      return `finished ${step()}`;
    case 'step.skipped':
      return `skipped ${step()}`;
    case 'step.failed':
      return `${step()} failed${d.reason ? `: ${str('reason')}` : ''}`;
    case 'step.started':
      return `started ${step()}`;
    case 'step.requested':
      return `asked to run ${step()}: ${str('runner')} ${str('name')}${d.configured === false ? ' (not configured)' : ''}`;
    case 'check.result':
      return `check ${str('check')}: ${str('status')}${typeof d.latencyMs === 'number' ? ` in ${formatDuration(d.latencyMs)}` : ''}${d.failure ? ` (${str('failure')})` : ''}`;
    case 'token.refreshed':
      return `refreshed token ${str('provider')}${d.expiresAt ? `, valid until ${str('expiresAt')}` : ''}`;
    case 'token.refresh_failed':
      return `token ${str('provider')} refresh failed: ${str('error')}`;
    case 'escalation.paged':
      return `paged level ${str('level')}${d.name ? ` (${str('name')})` : ''}${Array.isArray(d.users) && d.users.length ? `: ${(d.users as string[]).map(who).join(', ')}` : ''}${d.late ? ` (late by ${formatDuration(Number(d.lateByMs))})` : ''}`;
    case 'escalation.stopped':
      return `escalation stopped: ${str('reason')}`;
    case 'deadline.reminded':
      return `reminded ${user('commander')} that "${str('title')}" is due`;
    case 'deadline.met':
      return `met the deadline "${str('title')}"${d.late ? ' (after it was missed)' : ''}`;
    case 'deadline.missed':
      return `missed the deadline "${str('title')}"`;
    case 'notification.sent':
      return `told stakeholders (${str('reason')}) in ${place('to')}`;
    case 'notification.failed':
      return `could not tell stakeholders in ${place('to')}: ${str('error')}`;
    case 'action.requested':
      return `requested ${str('action')}${d.dryRun ? ' (dry run)' : ''}`;
    case 'action.refused':
      return `was refused ${str('action')}: ${str('reason')}`;
    case 'action.approved':
      return `approved ${str('action')} requested by ${user('requester')}`;
    case 'action.denied':
      return `denied ${str('action')} requested by ${user('requester')}`;
    case 'action.expired':
      return `the approval request for ${str('action')} expired`;
    case 'action.started':
      return `started ${str('action')}${d.dryRun ? ' (dry run: nothing runs)' : ''}: ${str('summary')}`;
    case 'action.finished':
      return `${str('action')} ${str('outcome')}${typeof d.durationMs === 'number' ? ` in ${formatDuration(d.durationMs)}` : ''}${d.targetMissed ? ` — missed its ${formatDuration(Number(d.targetMs))} target` : ''}`;
    case 'action.interrupted':
      return `${str('action')} was interrupted: the bot running it stopped before it finished`;
    case 'action.cancelled':
      return `the request for ${str('action')} was cancelled: ${str('reason')}`;
    case 'report.posted':
      return 'posted the incident report';
    case 'timeline.viewed':
      return 'viewed the timeline';
    case 'alert.resolved':
      return `Alertmanager resolved the alert ${str('alertname')}`;
    case 'access.refused':
      return `was refused: may not ${str('action')} this incident`;
    case 'alert.joined':
      return `the alert ${str('alertname')} joined this incident${d.folded ? ' (too many alert incidents at once)' : ''}`;
  }
}
