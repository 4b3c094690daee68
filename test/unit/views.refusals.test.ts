import { describe, expect, it } from 'vitest';
import { refused } from '../../src/errors.js';
import { sentenceFor } from '../../src/slack/answer.js';
import { refusalSentence } from '../../src/slack/views/refusals.js';
import { captureLogs } from '../support/logs.js';

/** Use cases throw a refusal's facts; the person reads them worded once, in the view. */
describe('refusals', () => {
  it('names what does not exist and what to type instead', () => {
    expect(refusalSentence({ kind: 'no-incident', key: 'INC-9' })).toBe(
      'There is no incident INC-9. `/incident list` shows the open ones.',
    );
    expect(refusalSentence({ kind: 'no-check', name: 'databse', closest: ['database'] })).toBe(
      'There is no check or group `databse`. Did you mean `database`? `/incident health` runs them all.',
    );
    expect(refusalSentence({ kind: 'many-incidents-here', keys: ['INC-1', 'INC-2'] })).toBe(
      '2 incidents are open in this channel (INC-1, INC-2). Name one, e.g. `/incident ack INC-1`.',
    );
  });

  it('words the on-call refusals: a schedule not found, and a swap over an override', () => {
    expect(refusalSentence({ kind: 'no-schedule', typed: 'auht', closest: ['auth'], names: ['auth', 'nights'] })).toBe(
      'There is no schedule `auht`. Did you mean `auth`? The schedules are `auth`, `nights`.',
    );
    const [start, end] = [new Date('2026-12-14T09:00:00Z'), new Date('2026-12-21T09:00:00Z')];
    const overlap = refusalSentence({
      kind: 'swap-overlaps',
      user: 'U0A',
      shift: { start, end },
      override: { id: 2, kind: 'override', user: 'U0B', start, end },
      zone: 'UTC',
      now: start,
    });
    expect(overlap).toContain("<@U0A>'s shift (09:00 Mon 14 Dec – 09:00 Mon 21 Dec) overlaps override #2 (<@U0B>,");
    expect(overlap).toContain('Remove it first (`/incident oncall override remove 2`)');
  });

  it('escapes what a person typed, so it reads as typed and never as a mention or a link', () => {
    expect(refusalSentence({ kind: 'no-user', user: '<!channel>' })).not.toContain('<!channel>');
    expect(refusalSentence({ kind: 'no-action', key: 'INC-1', action: '*bold*`' })).toContain("`*bold*'`");
  });

  it('is what the one error-answering place says, while the log keeps the facts', () => {
    const logs = captureLogs('info');
    const sentence = sentenceFor(refused({ kind: 'too-many-opens', max: 1, windowMs: 600_000 }), logs.log, {});
    expect(sentence).toMatch(/^You have opened 1 incident in the last few minutes, the most one person may per /);
    expect(logs.text()).toContain('forbidden');
  });
});
