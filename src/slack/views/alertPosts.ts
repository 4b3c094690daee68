import type { ThreadPost } from '../../app/ports.js';
import { formatDuration } from '../../config/duration.js';
import { type SlackMessage, context, section, slackDate, userText } from '../../blockKit/blocks.js';

type AlertPost = Extract<ThreadPost, { kind: 'alert-firing' | 'alert-resolved' | 'alerts-joined' }>;

/** Alerts that joined an incident, in one line per batch: names tallied, the cap said when it folded some in. */
function joinedMessage(post: Extract<ThreadPost, { kind: 'alerts-joined' }>): SlackMessage {
  const total = post.names.reduce((sum, n) => sum + n.count, 0);
  const names = post.names
    .slice(0, 15)
    .map((n) => `\`${userText(n.name, 60).replace(/`/g, "'")}\`${n.count > 1 ? ` ×${n.count}` : ''}`)
    .join(', ');
  const more = post.names.length > 15 ? ` and ${post.names.length - 15} more names` : '';
  const folded =
    post.folded > 0 && post.cap
      ? ` ${post.folded === total ? 'They' : `${post.folded} of them`} would have opened incidents of their own, ` +
        `but at most ${post.cap.max} incidents open from alerts per ${formatDuration(post.cap.windowMs)}: ` +
        'they are folded in here.'
      : '';
  return {
    text: `${total} more alert${total === 1 ? '' : 's'} joined this incident`,
    blocks: [
      section(`:bell: ${total} more alert${total === 1 ? '' : 's'} joined this incident: ${names}${more}.${folded}`),
    ],
  };
}

/**
 * What an Alertmanager alert looks like in the thread of the incident it opened. Alert text is shown, never
 * acted on.
 */
export function alertMessage(post: AlertPost): SlackMessage {
  if (post.kind === 'alerts-joined') return joinedMessage(post);
  if (post.kind === 'alert-resolved') {
    const stillOpen = post.incidentOpen ? ' The incident stays open until someone resolves it.' : '';
    return {
      text: `Alert ${userText(post.alertname, 80)} resolved`,
      blocks: [
        section(`:large_green_circle: Alertmanager says \`${userText(post.alertname, 80)}\` is resolved.${stillOpen}`),
      ],
    };
  }
  const labels = Object.entries(post.labels)
    .slice(0, 20)
    .map(([name, value]) => `\`${userText(`${name}=${value}`, 80).replace(/`/g, "'")}\``)
    .join(' ');
  const notes = Object.entries(post.annotations)
    .slice(0, 10)
    .map(([name, value]) => `*${userText(name, 60)}*: ${userText(value, 400)}`);
  // Only a plain http(s) URL becomes a link; anything else would be Slack markup.
  const source =
    post.generatorUrl && /^https?:\/\/[^\s<>|]+$/.test(post.generatorUrl) && post.generatorUrl.length <= 2_000
      ? `<${post.generatorUrl}|Source>`
      : undefined;
  return {
    text: `Alert ${userText(post.alertname, 80)} firing`,
    blocks: [
      section(userText(`:rotating_light: Opened by the Alertmanager alert ${post.alertname}.`, 200)),
      ...(labels ? [section(labels)] : []),
      ...(notes.length ? [section(notes.join('\n'))] : []),
      context(`Firing since ${slackDate(post.startsAt)}${source ? ` · ${source}` : ''}`),
    ],
  };
}
