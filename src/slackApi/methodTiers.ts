/**
 * Each Web API method's rate-limit tier, as Slack publishes it on the method's
 * page (https://api.slack.com/methods/<method>, https://api.slack.com/apis/rate-limits);
 * `posts` is chat.postMessage's own limit (about one a second per channel, under
 * a workspace ceiling). One table for the emulator, which enforces the limits,
 * and the bot, which paces itself under them: a method added to one is added to both.
 */
export type SlackTier = 1 | 2 | 3 | 4;

export const SLACK_METHOD_TIERS: Readonly<Record<string, SlackTier | 'posts'>> = {
  'chat.postMessage': 'posts',
  'apps.connections.open': 1,
  'conversations.create': 2,
  'conversations.list': 2,
  'conversations.setPurpose': 2,
  'pins.add': 2,
  'usergroups.list': 2,
  'usergroups.users.list': 2,
  'usergroups.users.update': 2,
  'users.list': 2,
  'chat.delete': 3,
  'chat.update': 3,
  'conversations.history': 3,
  'conversations.info': 3,
  'conversations.invite': 3,
  'conversations.join': 3,
  'conversations.open': 3,
  'conversations.replies': 3,
  'reactions.add': 3,
  'auth.test': 4,
  'chat.getPermalink': 4,
  'chat.postEphemeral': 4,
  'conversations.members': 4,
  'files.completeUploadExternal': 4,
  'files.getUploadURLExternal': 4,
  'users.info': 4,
  'views.open': 4,
  'views.publish': 4,
  'views.push': 4,
  'views.update': 4,
};

/** Methods not listed. */
export const SLACK_DEFAULT_TIER: SlackTier = 3;
