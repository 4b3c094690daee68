import type { ActionSaid, Reply } from '../../app/replies.js';
import { type SlackMessage, mention, section, slackDate, userText } from '../../blockKit/blocks.js';

/** A one-sentence answer: the same words in the notification `text` and the block. */
export const sentence = (words: string): SlackMessage => ({ text: words, blocks: [section(words)] });

type Answer = Extract<
  Reply,
  { kind: 'commander' | 'step-already' | 'step-runner-missing' | 'action' | 'token-refresh' | 'step-checks' }
>;

/** The answers use cases give as facts; the words are chosen here. */
export function answerMessage(reply: Answer): SlackMessage {
  switch (reply.kind) {
    case 'commander':
      return sentence(
        `${mention(reply.commander)} ${reply.already ? 'already commands' : 'now commands'} ${reply.key}.`,
      );
    case 'step-already': {
      const by = reply.by ? ` by ${mention(reply.by)}` : '';
      return sentence(`Step ${reply.step} of ${reply.key} is already ${reply.state}${by}.`);
    }
    case 'step-runner-missing': {
      const asked = `the ${reply.runner} \`${userText(reply.name, 60)}\``;
      return sentence(
        `Step ${reply.step} asks for ${asked}, which this bot cannot run yet; the request is in the timeline.`,
      );
    }
    case 'action':
      return sentence(actionSentence(`*${userText(reply.title, 150)}*`, reply.said));
    case 'token-refresh':
      return sentence(tokenSentence(reply));
    case 'step-checks': {
      const failure = reply.failure;
      const outcome = failure
        ? `failed (${userText(failure.name, 80)}: ${userText(failure.reason, 300)})`
        : 'every check passed';
      return sentence(`Step ${reply.step}: ${outcome}.`);
    }
  }
}

function tokenSentence(reply: Extract<Reply, { kind: 'token-refresh' }>): string {
  const token = `\`${userText(reply.provider, 60)}\``;
  const error = userText(reply.error ?? (reply.step === undefined ? 'unknown error' : 'refresh failed'), 300);
  if (reply.step !== undefined)
    return reply.ok ? `Step ${reply.step}: the ${token} token is fresh.` : `Step ${reply.step} failed: ${error}`;
  const until = reply.expiresAt ? ` until ${slackDate(reply.expiresAt, '{time}')}` : '';
  return reply.ok ? `The ${token} token is fresh${until}.` : `The ${token} token could not be refreshed: ${error}`;
}

function actionSentence(title: string, said: ActionSaid): string {
  switch (said.kind) {
    case 'not-allowed':
      return `You are not allowed to run ${title}. Ask someone on its list (\`allowed\` in the config), or the incident commander.`;
    case 'busy': {
      const state = said.waiting ? 'waiting for approval' : 'running';
      return `${title} is already ${state} for ${said.key} (requested by ${mention(said.requestedBy)}). One run at a time.`;
    }
    case 'awaits-approval':
      return `${title} needs a second person's approval; the request is in ${said.key}'s thread.`;
    case 'incident-resolved':
      return `${said.key} is resolved, so ${title} will not run; its pending requests were cancelled.`;
    case 'not-allowed-to-decide':
      return `You are not allowed to decide on ${title}.`;
    case 'denied':
      return `You denied ${title}.`;
    case 'recording-delayed':
      return (
        `${title} ran (${said.outcome.replace('_', ' ')}). The database did not answer, so recording it is delayed: ` +
        'the outcome is kept and written to the run and the timeline as soon as the database is back.'
      );
  }
}
