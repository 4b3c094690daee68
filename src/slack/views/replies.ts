import type { Reply } from '../../app/replies.js';
import { severityLabel } from '../../domain/severity.js';
import { type SlackMessage, context, mention, section, slackDate, userText } from './blocks.js';
import { helpMessage, playbooksMessage } from './help.js';
import { timelineMessage } from './timeline.js';

/** A use case's reply, as the ephemeral message the person who asked sees. */
export function replyMessage(reply: Exclude<Reply, { kind: 'none' }>): SlackMessage {
  switch (reply.kind) {
    case 'text':
      return { text: reply.text, blocks: [section(reply.text)] };
    case 'help':
      return helpMessage();
    case 'playbooks':
      return playbooksMessage(reply.playbooks);
    case 'list': {
      if (reply.incidents.length === 0) return { text: 'No open incidents.', blocks: [section(':white_check_mark: No open incidents.')] };
      const lines = reply.incidents.slice(0, 40).map((i) => `*${i.key}* ${userText(i.title, 80)} · ${severityLabel(i.severity)} · ${i.status} · ${mention(i.commander)}${i.channelId ? ` · <#${i.channelId}>` : ''} · opened ${slackDate(i.openedAt)}`);
      return { text: `${reply.incidents.length} open incidents`, blocks: [section(`*${reply.incidents.length} open incident${reply.incidents.length === 1 ? '' : 's'}*`), section(lines.join('\n')), context('`/incident ack INC-n` and the other commands take the key.')] };
    }
    case 'timeline':
      return timelineMessage(reply.incident, reply.events, reply.offset, reply.total, reply.pageSize);
  }
}
