import { describe, expect, it } from 'vitest';
import { changeReplyMessage } from '../../src/slack/views/changeReplies.js';

describe('the change commands’ answers', () => {
  it('says where a started change lives, or that Slack has not shown it yet', () => {
    expect(
      changeReplyMessage({ kind: 'change-started', key: 'CHG-3', runbook: 'cache-rollout', channelId: 'C9' }).text,
    ).toBe('*CHG-3* started from `cache-rollout`: follow it in <#C9>.');
    expect(changeReplyMessage({ kind: 'change-started', key: 'CHG-3', runbook: 'cache-rollout' }).text).toMatch(
      /Slack is not answering yet\)\.$/,
    );
  });

  it('tells how to start one when no change is open', () => {
    expect(changeReplyMessage({ kind: 'changes', changes: [] }).text).toBe(
      'No change is open. Start one with `/incident change <runbook> [summary]`.',
    );
  });

  it('says an abort happened, whether its reason was kept, or that the change had ended', () => {
    const aborted = { kind: 'change-aborted', key: 'CHG-3', withReason: true, alreadyEnded: false } as const;
    expect(changeReplyMessage(aborted).text).toBe('CHG-3 is aborted; the reason is in its timeline.');
    expect(changeReplyMessage({ ...aborted, withReason: false }).text).toBe('CHG-3 is aborted.');
    expect(changeReplyMessage({ ...aborted, alreadyEnded: true }).text).toBe('CHG-3 has already ended.');
  });
});
