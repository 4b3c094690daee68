import type { Reply } from '../../app/replies.js';
import { type SlackMessage, context, mention, section, userText } from '../../blockKit/blocks.js';

const MARK = {
  sent: ':white_check_mark:',
  failed: ':x:',
  uncertain: ':grey_question:',
  'not-set-up': ':heavy_minus_sign:',
};
const SAID = {
  sent: 'arrived at the provider',
  failed: 'failed',
  uncertain: 'may have been sent (the answer was lost)',
  'not-set-up': 'not set up',
};

/** Which of a person's channels a test page reached. */
export function pageTestMessage(reply: Extract<Reply, { kind: 'page-test' }>): SlackMessage {
  const lines = reply.results.map(
    (r) => `${MARK[r.outcome]} *${r.via}*: ${SAID[r.outcome]}${r.error ? ` — ${userText(r.error, 200)}` : ''}`,
  );
  const sent = reply.results.filter((r) => r.outcome === 'sent').length;
  return {
    text: `Test page for ${reply.person}: ${sent} of ${reply.results.length} channels reached`,
    blocks: [
      section(`*Test page for ${mention(reply.person)}*\n${lines.join('\n')}`),
      context('Channels come from `people:` in the config; each rule sends one test page (Slack by direct message).'),
    ],
  };
}
