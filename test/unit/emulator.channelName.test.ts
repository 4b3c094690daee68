import { describe, expect, it } from 'vitest';
import { MAX_CHANNEL_NAME, channelNameError } from '../../src/playground/emulator/channelName.js';

describe('channel names (conversations.create)', () => {
  it('allows lowercase letters, digits, hyphens and underscores', () => {
    for (const name of ['inc-42-auth-401', 'incident_7', 'a', '2026-11-23-outage'])
      expect(channelNameError(name)).toBeUndefined();
  });

  it('answers invalid_name_required for an empty name', () => {
    expect(channelNameError('')).toBe('invalid_name_required');
    expect(channelNameError('   ')).toBe('invalid_name_required');
    expect(channelNameError(undefined)).toBe('invalid_name_required');
  });

  it('answers invalid_name_maxlength beyond 80 characters', () => {
    expect(channelNameError('a'.repeat(MAX_CHANNEL_NAME))).toBeUndefined();
    expect(channelNameError('a'.repeat(MAX_CHANNEL_NAME + 1))).toBe('invalid_name_maxlength');
  });

  it('answers invalid_name_specials for upper case, spaces, dots and other characters', () => {
    for (const name of ['INC-42', 'inc 42', 'inc.42', 'inc#42', 'café', 'inc/42'])
      expect(channelNameError(name)).toBe('invalid_name_specials');
  });

  it('answers invalid_name_punctuation for a name of punctuation only', () => {
    expect(channelNameError('---')).toBe('invalid_name_punctuation');
    expect(channelNameError('_-_')).toBe('invalid_name_punctuation');
  });
});
