import type { ThreadPost } from '../../app/ports.js';
import { actionMessage } from './actionPosts.js';
import { alertMessage } from './alertPosts.js';
import { changeMessage } from './changePosts.js';
import { checkMessage } from './checkPosts.js';
import { tokenMessage } from './tokenPosts.js';
import { type SlackMessage, actions, button, mention, section, userText } from '../../blockKit/blocks.js';

/** What the bot says in an incident's thread. */
export function threadMessage(post: ThreadPost): SlackMessage {
  switch (post.kind) {
    case 'note':
      return {
        text: `Note: ${userText(post.text, 300)}`,
        blocks: [section(`:memo: ${mention(post.actor)}: ${userText(post.text, 2_900)}`)],
      };
    case 'changed':
    case 'checks-recovered':
      return changeMessage(post);
    case 'step-not-configured': {
      const asked = `${mention(post.actor)} asked to run step ${post.step} (*${userText(post.title, 150)}*)`;
      const runner = `the ${post.runner} \`${userText(post.name, 60)}\``;
      return {
        text: `Step ${post.step}: ${post.runner} ${userText(post.name, 60)} is not configured`,
        blocks: [
          section(
            `:information_source: ${asked}: ${runner} is not configured in this bot yet, so nothing ran. The request is in the timeline.`,
          ),
        ],
      };
    }
    case 'resolved': {
      const summary = post.summary ? `: ${userText(post.summary, 500)}` : '.';
      return {
        text: `${post.key} is resolved`,
        blocks: [
          section(
            `:white_check_mark: ${mention(post.actor)} resolved ${post.key}${summary} The report is ready when you are.`,
          ),
          actions('incident.resolved', [
            button('Post the incident report', 'incident.report', String(post.incidentId), { style: 'primary' }),
          ]),
        ],
      };
    }
    case 'text':
      return { text: post.text, blocks: [section(post.text)] };
    case 'moved':
      return {
        text: `${post.key} moved to its own channel`,
        blocks: [
          section(
            `:arrow_right: *${post.key} · ${userText(post.title, 150)}* has its own channel now: follow it in <#${post.channelId}>.`,
          ),
        ],
      };
    case 'action-approval':
    case 'action-started':
    case 'action-finished':
    case 'action-interrupted':
      return actionMessage(post);
    case 'check-running':
    case 'check-results':
      return checkMessage(post);
    case 'token-refreshed':
    case 'token-alert':
      return tokenMessage(post);
    case 'alert-firing':
    case 'alert-resolved':
    case 'alerts-joined':
      return alertMessage(post);
  }
}
