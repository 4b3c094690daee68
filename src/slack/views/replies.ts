import type { Reply } from '../../app/replies.js';
import { severityLabel } from '../../domain/severity.js';
import {
  type SlackMessage,
  actions,
  button,
  context,
  mention,
  section,
  slackDate,
  userText,
} from '../../blockKit/blocks.js';
import { answerMessage } from './answers.js';
import { helpMessage, playbooksMessage } from './help.js';
import { timelineMessage } from './timeline.js';
import { checkMessage } from './checkPosts.js';
import { formatDuration } from '../../domain/duration.js';
import { tokenStatusMessage } from './tokenPosts.js';
import { pageTestMessage } from './pageTest.js';
import { onCallChangedMessage, onCallMessage } from './oncall.js';
import { changeReplyMessage } from './changeReplies.js';

type RollbackAction = Extract<Reply, { kind: 'rollbacks' }>['actions'][number];

/** A rollback in the list: its title, what it runs, where, how fast it should be and whether it needs approval. */
function rollbackText(a: RollbackAction): string {
  const dry = a.dryRun ? ' _(dry run)_' : '';
  const on = a.target ? ` on ${userText(a.target, 100)}` : '';
  const target = a.targetTimeMs ? ` · target ${formatDuration(a.targetTimeMs)}` : '';
  return `*${userText(a.title, 150)}*${dry}\n\`${userText(a.plan, 300)}\`${on}${target}${a.approval ? ' · needs approval' : ''}`;
}

/** What the confirmation dialog of a rollback says it will do. */
function rollbackConfirmation(a: RollbackAction): string {
  const dry = a.dryRun ? 'Dry run: nothing will change. ' : '';
  const target = a.targetTimeMs ? ` Target: within ${formatDuration(a.targetTimeMs)}.` : '';
  const on = a.target ? ` on ${userText(a.target, 60)}` : '';
  return `${dry}Runs \`${userText(a.plan, 200)}\`${on}.${target}`;
}

function rollbacksMessage(reply: Extract<Reply, { kind: 'rollbacks' }>): SlackMessage {
  const blocks = reply.actions.slice(0, 20).flatMap((a) => [
    section(rollbackText(a)),
    actions(`rollback.${a.name}`, [
      button(a.approval ? 'Request approval' : 'Run', `action.request.${a.name}`, `${reply.incident.id}:${a.name}`, {
        style: 'danger',
        confirm: {
          title: `Run "${a.title}"?`,
          text: rollbackConfirmation(a),
          confirm: a.approval ? 'Request approval' : 'Run it',
        },
      }),
    ]),
  ]);
  return {
    text: `Rollbacks for ${reply.incident.key}`,
    blocks: [section(`*Actions for ${reply.incident.key}*`), ...blocks],
  };
}

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
      if (reply.incidents.length === 0)
        return { text: 'No open incidents.', blocks: [section(':white_check_mark: No open incidents.')] };
      const lines = reply.incidents.slice(0, 40).map((i) => {
        const channel = i.channelId ? ` · <#${i.channelId}>` : '';
        const standing = `${severityLabel(i.severity)} · ${i.status} · ${mention(i.commander)}${channel}`;
        return `*${i.key}* ${userText(i.title, 80)} · ${standing} · opened ${slackDate(i.openedAt)}`;
      });
      return {
        text: `${reply.incidents.length} open incidents`,
        blocks: [
          section(`*${reply.incidents.length} open incident${reply.incidents.length === 1 ? '' : 's'}*`),
          section(lines.join('\n')),
          context('`/incident ack INC-n` and the other commands take the key.'),
        ],
      };
    }
    case 'timeline':
      return timelineMessage(reply.incident, reply.events, reply.offset, reply.total, reply.pageSize);
    case 'rollbacks':
      return rollbacksMessage(reply);
    case 'health':
      return checkMessage({ kind: 'check-results', target: reply.target, results: reply.results });
    case 'tokens':
      return tokenStatusMessage(reply.tokens);
    case 'page-test':
      return pageTestMessage(reply);
    case 'commander':
    case 'step-already':
    case 'step-runner-missing':
    case 'action':
    case 'token-refresh':
    case 'step-checks':
      return answerMessage(reply);
    case 'oncall':
      return onCallMessage(reply);
    case 'oncall-changed':
      return onCallChangedMessage(reply);
    case 'change-started':
    case 'changes':
    case 'change-aborted':
      return changeReplyMessage(reply);
  }
}
