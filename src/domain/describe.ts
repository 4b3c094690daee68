import { formatDuration } from './duration.js';
import { readEvent, type ReadEvent, type TimelineData, type TimelineEvent } from './timeline.js';

/** How names and free text are shown: Slack escapes and mentions; the Markdown report shows them as they are. */
export interface Show {
  who: (user: string) => string;
  quote: (text: string) => string;
  channel: (id: string) => string;
}

/**
 * One plain-text line per timeline event: what a person reading the timeline
 * needs to know. Slack messages escape it; the Markdown report uses it as is.
 * A row this version cannot read (an older or newer shape) is named by its
 * kind instead: the timeline never fails to show because of one row.
 */
export function describeEvent(
  event: TimelineEvent,
  who: (user: string) => string = (user) => `@${user}`,
  quote: (text: string) => string = (text) => text,
  channel: (id: string) => string = (id) => `#${id}`,
): string {
  const read = readEvent(event);
  return read ? describeRead(read, { who, quote, channel }) : `recorded ${quote(event.kind)}`;
}

function describeRead(event: ReadEvent, show: Show): string {
  // Free text from the data is passed through `quote` (Slack escapes it, cut at 300 characters).
  const q = (value: string | number) => show.quote(String(value).slice(0, 300));
  const colon = (value: string | undefined) => (value ? `: ${q(value)}` : '');
  const step = (d: { step: number; title?: string | undefined }) =>
    `step ${d.step}${d.title ? ` (${q(d.title)})` : ''}`;
  // A destination is a channel or a person (a direct message).
  const place = (to: string) => (/^[UW]/.test(to) ? show.who(to) : show.channel(to));
  switch (event.kind) {
    case 'incident.opened':
      return `opened the incident${colon(event.data.summary)}`;
    case 'incident.acknowledged':
      return 'acknowledged';
    case 'incident.placed': {
      const { channelId, attempts, afterMs } = event.data;
      const after = attempts > 1 ? ` after ${attempts} attempts (${formatDuration(afterMs)} after it was opened)` : '';
      const storm = event.data.storm ? ' (a storm: a thread of the shared channel until it passes)' : '';
      return `made it visible in ${place(channelId)}${storm}${after}`;
    }
    case 'incident.moved':
      return `moved it from ${place(event.data.fromChannelId)} to its own channel ${place(event.data.channelId)}`;
    case 'incident.place_failed':
      return (
        `could not create its channel or live message after ${event.data.attempts} attempts ` +
        `(${q(event.data.error)}); still trying, nobody paged yet`
      );
    case 'incident.mitigated':
      return `marked it mitigated${colon(event.data.summary)}`;
    case 'incident.resolved':
      return `resolved it${colon(event.data.summary)}`;
    case 'incident.severity_changed':
      return `changed severity ${event.data.from} → ${event.data.to}`;
    case 'incident.commander_changed':
      return `handed command to ${show.who(event.data.to)}`;
    case 'incident.escalated':
      return `escalated level ${event.data.from} → ${event.data.to}${whyEscalated(event.data)}`;
    case 'note.added':
      return `noted: ${q(event.data.text)}`;
    case 'step.done':
      return `finished ${step(event.data)}`;
    case 'step.skipped':
      return `skipped ${step(event.data)}`;
    case 'step.failed':
      return `${step(event.data)} failed${colon(event.data.reason)}`;
    case 'step.started':
      return `started ${step(event.data)}`;
    case 'step.requested': {
      const notConfigured = event.data.configured ? '' : ' (not configured)';
      return `asked to run ${step(event.data)}: ${q(event.data.runner)} ${q(event.data.name)}${notConfigured}`;
    }
    case 'check.result': {
      const { check, status, latencyMs, failure } = event.data;
      return `check ${q(check)}: ${q(status)} in ${formatDuration(latencyMs)}${failure ? ` (${q(failure)})` : ''}`;
    }
    case 'token.refreshed':
      return `refreshed token ${q(event.data.provider)}${event.data.expiresAt ? `, valid until ${q(event.data.expiresAt)}` : ''}`;
    case 'token.refresh_failed':
      return `token ${q(event.data.provider)} refresh failed${colon(event.data.error)}`;
    case 'escalation.paged': {
      const { level, name, users, late, lateByMs, onCall, fallback } = event.data;
      const slots = (onCall ?? []).map((s) =>
        s.user ? `${show.who(s.user)} on call for ${q(s.schedule)}` : `nobody on call for ${q(s.schedule)}`,
      );
      const who = users.length ? `: ${users.map(show.who).join(', ')}` : '';
      const oncall = slots.length ? ` (${slots.join(', ')}${fallback ? '; fallback paged' : ''})` : '';
      const lateness = late ? (lateByMs ? ` (late by ${formatDuration(lateByMs)})` : ' (late)') : '';
      return `paged level ${level}${name ? ` (${q(name)})` : ''}${who}${oncall}${lateness}`;
    }
    case 'escalation.stopped':
      return `escalation stopped: ${q(event.data.reason)}`;
    case 'deadline.reminded':
      return `reminded ${show.who(event.data.commander)} that "${q(event.data.title)}" is due`;
    case 'deadline.met':
      return `met the deadline "${q(event.data.title)}"${event.data.late ? ' (after it was missed)' : ''}`;
    case 'deadline.missed':
      return `missed the deadline "${q(event.data.title)}"`;
    case 'notification.sent':
      return `told stakeholders (${q(event.data.reason)}) in ${place(event.data.to)}`;
    case 'notification.failed':
      return `could not tell stakeholders in ${place(event.data.to)}: ${q(event.data.error)}`;
    case 'action.requested':
      return `requested ${q(event.data.action)}${event.data.dryRun ? ' (dry run)' : ''}`;
    case 'action.refused':
      return `was refused ${q(event.data.action)}: ${q(event.data.reason)}`;
    case 'action.approved':
      return `approved ${q(event.data.action)} requested by ${show.who(event.data.requester)}`;
    case 'action.denied':
      return `denied ${q(event.data.action)} requested by ${show.who(event.data.requester)}`;
    case 'action.expired':
      return `the approval request for ${q(event.data.action)} expired`;
    case 'action.started': {
      const dryRun = event.data.dryRun ? ' (dry run: nothing runs)' : '';
      return `started ${q(event.data.action)}${dryRun}: ${q(event.data.summary)}`;
    }
    case 'action.finished':
      return `${q(event.data.action)} ${q(event.data.outcome)}${actionTiming(event.data)}`;
    case 'action.interrupted':
      return event.data.started === false
        ? `${q(event.data.action)} was interrupted: the bot stopped before starting it, so nothing ran`
        : `${q(event.data.action)} was interrupted: the bot running it stopped before it finished`;
    case 'action.cancelled':
      return `the request for ${q(event.data.action)} was cancelled: ${q(event.data.reason)}`;
    case 'report.posted':
      return 'posted the incident report';
    case 'timeline.viewed':
      return 'viewed the timeline';
    case 'alert.resolved':
      return `Alertmanager resolved the alert ${q(event.data.alertname)}`;
    case 'access.refused':
      return `was refused: may not ${q(event.data.action)} this incident`;
    case 'page.sent': {
      const { channel, person, action, test, late } = event.data;
      if (action) return `mirrored to ${channel} (${action})`;
      return `${test ? 'sent a test page' : 'paged'}${person ? ` ${show.who(person)}` : ''} by ${channel}${late ? ' (late)' : ''}`;
    }
    case 'page.failed': {
      const { channel, person, action, uncertain, error } = event.data;
      const what = action
        ? `mirroring to ${channel} (${action})`
        : `paging${person ? ` ${show.who(person)}` : ''} by ${channel}`;
      return uncertain ? `${what} may have been sent: ${q(error)}` : `${what} failed: ${q(error)}`;
    }
    case 'change.started':
      return `started the change${colon(event.data.summary)}`;
    case 'change.gate_checked':
      return `ran the checks of gate ${event.data.gate} (${q(event.data.title)}): ${verdicts(event.data.results)}`;
    case 'change.gate_go':
      return `pressed GO at gate ${event.data.gate} (${q(event.data.title)}); checks: ${verdicts(event.data.results)}`;
    case 'change.gate_no_go': {
      const offered = event.data.rollback.length ? `; rollback offered: ${event.data.rollback.join(', ')}` : '';
      return `pressed NO-GO at gate ${event.data.gate} (${q(event.data.title)})${offered}`;
    }
    case 'change.completed':
      return 'completed the change: every gate GO';
    case 'change.aborted':
      return `aborted the change${colon(event.data.reason)}`;
    case 'change.watch_started': {
      const windows = event.data.windows.map((w) => `${w.checks.join(', ')} every ${formatDuration(w.everyMs)}`);
      return `started the post-deploy watch: ${windows.join('; ')}`;
    }
    case 'change.watch_failed': {
      const failures = event.data.failures.map((f) => `${f.check}: ${q(f.failure)}`).join('; ');
      return `watch window ${event.data.window} failed (${event.data.failuresInARow} in a row): ${failures}`;
    }
    case 'change.watch_tripped':
      return `the watch tripped after ${event.data.failuresInARow} failed runs in a row and opened ${event.data.incident}`;
    case 'change.watch_passed':
      return `the post-deploy watch passed (${event.data.runs} runs)`;
    case 'incident.from_change':
      return `opened by the post-deploy watch of ${event.data.change} (${event.data.checks.join(', ')} kept failing)`;
    case 'page.acknowledged':
      return `${event.data.resolved ? 'resolved' : 'acknowledged'} from ${event.data.channel}`;
    case 'alert.joined':
      return `the alert ${q(event.data.alertname)} joined this incident${
        event.data.folded ? ' (too many alert incidents at once)' : ''
      }`;
  }
}

/** Why the level moved: by hand, late (the bot was down), which clock ran out, and the round it starts. */
function whyEscalated(d: TimelineData<'incident.escalated'>): string {
  const why = d.manual
    ? ' by hand'
    : d.late
      ? ` (late by ${formatDuration(d.lateByMs ?? 0)}: the bot was down when it fell due)`
      : d.clock === 'ack'
        ? ' (nobody acknowledged in time)'
        : d.clock === 'unresolved'
          ? ' (still unresolved)'
          : '';
  return `${why}${d.repeat ? `, starting round ${d.repeat + 1}` : ''}`;
}

function actionTiming(d: TimelineData<'action.finished'>): string {
  const missed = d.targetMissed && d.targetMs !== undefined ? ` — missed its ${formatDuration(d.targetMs)} target` : '';
  return ` in ${formatDuration(d.durationMs)}${missed}`;
}

/** A gate's check results, one word each; none: a person's judgement. */
const verdicts = (results: readonly { check: string; status: string }[]) =>
  results.length ? results.map((r) => `${r.check} ${r.status}`).join(', ') : 'none (judged by the person)';
