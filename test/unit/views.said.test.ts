import { describe, expect, it } from 'vitest';
import type { ThreadPost } from '../../src/app/ports.js';
import type { ActionSaid, Reply } from '../../src/app/replies.js';
import { fields } from '../../src/blockKit/blocks.js';
import {
  deadlineMissed,
  pageByDirectMessage,
  pageInThread,
  placedAfterFailures,
  statusUpdate,
} from '../../src/notify/messages.js';
import { validateBlocks } from '../../src/playground/emulator/blockKit.js';
import { replyMessage } from '../../src/slack/views/replies.js';
import { threadMessage } from '../../src/slack/views/thread.js';

const ADA = 'U0ADA';
const GRACE = 'U0GRACE';
const mrkdwnOf = (message: { blocks: unknown }) => JSON.stringify(message.blocks);

/** A thread post as Slack would accept it, and the line a person reads in the thread. */
function thread(post: ThreadPost): { text: string; shown: string } {
  const message = threadMessage(post);
  expect(validateBlocks(message.blocks, 'message')).toEqual([]);
  return { text: message.text, shown: mrkdwnOf(message) };
}

function reply(answer: Exclude<Reply, { kind: 'none' }>): string {
  const message = replyMessage(answer);
  expect(validateBlocks(message.blocks, 'message')).toEqual([]);
  expect(mrkdwnOf(message)).toContain(JSON.stringify(message.text).slice(1, -1));
  return message.text;
}

describe('a change to the incident, as its thread says it', () => {
  const changed = (change: Extract<ThreadPost, { kind: 'changed' }>['change']) =>
    thread({ kind: 'changed', actor: ADA, key: 'INC-4', change });

  it('names who acknowledged it', () => {
    const { text, shown } = changed({ kind: 'acknowledged' });
    expect(text).toBe('acknowledged INC-4');
    expect(shown).toContain(`<@${ADA}> acknowledged INC-4`);
  });

  it('says the mitigation summary, escaped', () => {
    const { text } = changed({ kind: 'mitigated', summary: 'rolled back <!channel>' });
    expect(text).toBe('marked INC-4 mitigated: rolled back &lt;!channel&gt;');
    expect(changed({ kind: 'mitigated' }).text).toBe('marked INC-4 mitigated');
  });

  it('says the new severity, level and commander', () => {
    expect(changed({ kind: 'severity', to: 'SEV1' }).text).toBe('changed the severity of INC-4 to SEV1');
    expect(changed({ kind: 'escalated', level: 2, levelName: 'Database <team>' }).text).toBe(
      'escalated INC-4 to level 2 (Database &lt;team&gt;)',
    );
    expect(changed({ kind: 'escalated', level: 3 }).text).toBe('escalated INC-4 to level 3');
    expect(changed({ kind: 'commander', commander: GRACE }).text).toBe(`made <@${GRACE}> the commander of INC-4`);
    expect(changed({ kind: 'commander', commander: 'system' }).text).toBe('made incident-bot the commander of INC-4');
  });

  it('says a scheduled check group passes again, and that the incident stays open', () => {
    const one = thread({ kind: 'checks-recovered', group: 'edge', failedRuns: 1 });
    expect(one.text).toBe(
      'The scheduled checks `edge` pass again after 1 failed run. The incident stays open until someone resolves it.',
    );
    expect(one.shown).toContain(':large_green_circle: The scheduled checks');
    expect(thread({ kind: 'checks-recovered', group: 'edge', failedRuns: 6 }).text).toContain('after 6 failed runs.');
  });
});

describe('an answer to the person who asked', () => {
  it('says who commands the incident, now or already', () => {
    expect(reply({ kind: 'commander', commander: GRACE, key: 'INC-4', already: false })).toBe(
      `<@${GRACE}> now commands INC-4.`,
    );
    expect(reply({ kind: 'commander', commander: GRACE, key: 'INC-4', already: true })).toBe(
      `<@${GRACE}> already commands INC-4.`,
    );
  });

  it('says a step is already settled, and by whom when known', () => {
    expect(reply({ kind: 'step-already', step: 2, key: 'INC-4', state: 'done', by: ADA })).toBe(
      `Step 2 of INC-4 is already done by <@${ADA}>.`,
    );
    expect(reply({ kind: 'step-already', step: 2, key: 'INC-4', state: 'skipped' })).toBe(
      'Step 2 of INC-4 is already skipped.',
    );
  });

  it('says a step asks for an engine this bot cannot run yet', () => {
    expect(reply({ kind: 'step-runner-missing', step: 3, runner: 'token', name: 'okta<x>' })).toBe(
      'Step 3 asks for the token `okta&lt;x&gt;`, which this bot cannot run yet; the request is in the timeline.',
    );
  });

  it('says what became of an action request, naming the action in bold', () => {
    const said = (s: ActionSaid) => reply({ kind: 'action', title: 'Roll back Redis', said: s });
    expect(said({ kind: 'not-allowed' })).toBe(
      'You are not allowed to run *Roll back Redis*. Ask someone on its list (`allowed` in the config), or the incident commander.',
    );
    expect(said({ kind: 'busy', key: 'INC-4', waiting: true, requestedBy: ADA })).toBe(
      `*Roll back Redis* is already waiting for approval for INC-4 (requested by <@${ADA}>). One run at a time.`,
    );
    expect(said({ kind: 'busy', key: 'INC-4', waiting: false, requestedBy: ADA })).toContain('is already running for');
    expect(said({ kind: 'awaits-approval', key: 'INC-4' })).toBe(
      "*Roll back Redis* needs a second person's approval; the request is in INC-4's thread.",
    );
    expect(said({ kind: 'incident-resolved', key: 'INC-4' })).toBe(
      'INC-4 is resolved, so *Roll back Redis* will not run; its pending requests were cancelled.',
    );
    expect(said({ kind: 'not-allowed-to-decide' })).toBe('You are not allowed to decide on *Roll back Redis*.');
    expect(said({ kind: 'denied' })).toBe('You denied *Roll back Redis*.');
    expect(said({ kind: 'recording-delayed', outcome: 'timed_out' })).toMatch(
      /^\*Roll back Redis\* ran \(timed out\)\. The database did not answer, so recording it is delayed/,
    );
  });

  it('says a token is fresh until when, in the reader’s time zone, or why it could not be refreshed', () => {
    const at = new Date('2026-11-23T04:30:00Z');
    const fresh = reply({ kind: 'token-refresh', provider: 'okta', ok: true, expiresAt: at });
    expect(fresh).toMatch(/^The `okta` token is fresh until <!date\^\d+\^\{time\}\|2026-11-23 04:30 UTC>\.$/);
    expect(reply({ kind: 'token-refresh', provider: 'okta', ok: false, error: 'HTTP 401 <!channel>' })).toBe(
      'The `okta` token could not be refreshed: HTTP 401 &lt;!channel&gt;',
    );
    expect(reply({ kind: 'token-refresh', provider: 'okta', ok: true, step: 2 })).toBe(
      'Step 2: the `okta` token is fresh.',
    );
    expect(reply({ kind: 'token-refresh', provider: 'okta', ok: false, step: 2 })).toBe(
      'Step 2 failed: refresh failed',
    );
  });

  it('says whether a step’s checks passed, or which failed and why', () => {
    expect(reply({ kind: 'step-checks', step: 1 })).toBe('Step 1: every check passed.');
    expect(reply({ kind: 'step-checks', step: 1, failure: { name: 'api', reason: 'HTTP 503' } })).toBe(
      'Step 1: failed (api: HTTP 503).',
    );
  });

  it('escapes an action title that tries to ping everyone', () => {
    const text = reply({ kind: 'action', title: '<!here> undo', said: { kind: 'denied' } });
    expect(text).toBe('You denied *&lt;!here&gt; undo*.');
  });
});

describe('messages the engines send, built with the shared Block Kit helpers', () => {
  const facts = {
    key: 'INC-4',
    title: 'Login fails',
    severityLabel: 'SEV2',
    status: 'open',
    level: 2,
    levelName: 'Platform',
    commander: ADA,
    channelId: 'C0INC4',
    summary: '401 on login',
    symptom: 'errors',
  };

  it('a status update has the four headings, the commander and the channel, and Slack accepts it', () => {
    const message = statusUpdate(facts, { kind: 'escalated', level: 2, levelName: 'Platform' }, undefined);
    expect(validateBlocks(message.blocks, 'message')).toEqual([]);
    expect(message.text).toBe('INC-4 Login fails: Escalated to level 2 (Platform).');
    const shown = mrkdwnOf(message);
    for (const heading of ['*What happened*', '*Impact*', '*Current state*', '*Next update*'])
      expect(shown).toContain(heading);
    expect(shown).toContain(`commander <@${ADA}>`);
    expect(shown).toContain('Follow the incident in <#C0INC4>.');
  });

  it('a page mentions the level’s user groups and people, in the thread and by direct message', () => {
    const page = {
      key: 'INC-4',
      title: 'Login fails',
      level: 2,
      levelName: 'Platform',
      usergroups: ['S0PLAT'],
      users: [GRACE],
      playbooks: [],
      steps: [],
      channelId: 'C0INC4',
    };
    const inThread = pageInThread(page);
    expect(validateBlocks(inThread.blocks, 'message')).toEqual([]);
    expect(mrkdwnOf(inThread)).toContain(`<!subteam^S0PLAT> <@${GRACE}>: you are paged for *INC-4*`);
    const dm = pageByDirectMessage(page);
    expect(dm.text).toBe('You are paged for INC-4: level 2, Platform');
    expect(mrkdwnOf(dm)).toContain('in <#C0INC4>');
  });

  it('a missed deadline and a placed incident read as before', () => {
    const missed = deadlineMissed(ADA, 'First update', new Date('2026-11-23T03:15:00Z'));
    expect(missed.text).toBe('Missed: First update');
    expect(mrkdwnOf(missed)).toContain(`:x: <@${ADA}>: *First update* was due at <!date^`);
    expect(mrkdwnOf(placedAfterFailures('INC-4', 'C0INC4'))).toContain('follow it in <#C0INC4>');
  });

  it('a fields section keeps to Block Kit’s limit of ten fields', () => {
    const block = fields(...Array.from({ length: 12 }, (_, i) => `f${i}`));
    expect(block.fields).toHaveLength(10);
  });
});
