import type { IncidentChangeSaid, ThreadPost } from '../../app/ports.js';
import { type SlackMessage, context, mention, section, userText } from '../../blockKit/blocks.js';

type ChangePost = Extract<ThreadPost, { kind: 'changed' | 'checks-recovered' }>;

/** What a change to the incident reads as in its thread: who did what, one line. */
export function changeMessage(post: ChangePost): SlackMessage {
  switch (post.kind) {
    case 'changed': {
      const did = changeSentence(post.key, post.change);
      return { text: did, blocks: [context(`${mention(post.actor)} ${did}`)] };
    }
    case 'checks-recovered': {
      const runs = `${post.failedRuns} failed run${post.failedRuns === 1 ? '' : 's'}`;
      const words =
        `The scheduled checks \`${userText(post.group, 80)}\` pass again after ${runs}. ` +
        'The incident stays open until someone resolves it.';
      return { text: words, blocks: [section(`:large_green_circle: ${words}`)] };
    }
  }
}

function changeSentence(key: string, change: IncidentChangeSaid): string {
  switch (change.kind) {
    case 'acknowledged':
      return `acknowledged ${key}`;
    case 'mitigated':
      return `marked ${key} mitigated${change.summary ? `: ${userText(change.summary, 500)}` : ''}`;
    case 'severity':
      return `changed the severity of ${key} to ${change.to}`;
    case 'escalated':
      return `escalated ${key} to level ${change.level}${change.levelName ? ` (${userText(change.levelName, 80)})` : ''}`;
    case 'commander':
      return `made ${mention(change.commander)} the commander of ${key}`;
    case 'gate': {
      const at = `gate ${change.gate} (${userText(change.title, 150)}) of ${key}`;
      if (change.decision === 'go') return `pressed GO at ${at}`;
      const offered = change.rollback.length
        ? `; rollback offered in the live message: ${change.rollback.map((t) => userText(t, 80)).join(', ')}`
        : '';
      return `pressed NO-GO at ${at}: the change is halted${offered}`;
    }
    case 'change-completed':
      return `completed ${key}: every gate GO, every step done`;
    case 'change-aborted':
      return `aborted ${key}${change.reason ? `: ${userText(change.reason, 500)}` : ''}`;
  }
}
