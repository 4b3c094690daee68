import type { ThreadPost } from '../../app/ports.js';
import { type SlackMessage, context, section, slackDate, userText } from './blocks.js';

type AlertPost = Extract<ThreadPost, { kind: 'alert-firing' | 'alert-resolved' }>;

/**
 * What an Alertmanager alert looks like in the thread of the incident it opened. Alert text is shown, never
 * acted on.
 */
export function alertMessage(post: AlertPost): SlackMessage {
  if (post.kind === 'alert-resolved') {
    const stillOpen = post.incidentOpen ? ' The incident stays open until someone resolves it.' : '';
    return {
      text: `Alert ${post.alertname} resolved`,
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
    text: `Alert ${post.alertname} firing`,
    blocks: [
      section(userText(`:rotating_light: Opened by the Alertmanager alert ${post.alertname}.`, 200)),
      ...(labels ? [section(labels)] : []),
      ...(notes.length ? [section(notes.join('\n'))] : []),
      context(`Firing since ${slackDate(post.startsAt)}${source ? ` · ${source}` : ''}`),
    ],
  };
}
