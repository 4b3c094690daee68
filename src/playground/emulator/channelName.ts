/** Slack's channel-name rules (conversations.create): lowercase letters, digits, hyphens, underscores; at most 80. */
export const MAX_CHANNEL_NAME = 80;

export type ChannelNameError =
  'invalid_name_required' | 'invalid_name_maxlength' | 'invalid_name_specials' | 'invalid_name_punctuation';

/** The error conversations.create answers for this name, or undefined when the name is allowed. */
export function channelNameError(name: string | undefined): ChannelNameError | undefined {
  if (name === undefined || name.trim() === '') return 'invalid_name_required';
  if (name.length > MAX_CHANNEL_NAME) return 'invalid_name_maxlength';
  if (/[^a-z0-9_-]/.test(name)) return 'invalid_name_specials';
  if (/^[_-]+$/.test(name)) return 'invalid_name_punctuation';
  return undefined;
}
