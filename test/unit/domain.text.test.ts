import { describe, expect, it } from 'vitest';
import {
  cleanText,
  closestNames,
  codeSpan,
  editDistance,
  escapeMrkdwn,
  length,
  truncate,
} from '../../src/domain/text.js';

describe('cleaning typed text', () => {
  it('turns control characters and runs of whitespace into one space on a single line', () => {
    expect(cleanText('  db\u0000down\n\tnow\u007f  ')).toBe('db down now');
  });

  it('keeps newlines and tabs in multi-line text, dropping other controls and trailing spaces', () => {
    expect(cleanText('line one  \nline\u0007 two\n\tindented', { multiline: true })).toBe(
      'line one\nline two\n\tindented',
    );
  });

  it('removes the bidi overrides that can disguise text', () => {
    expect(cleanText('abc\u202Edef\u2066')).toBe('abc def');
    expect(cleanText('abc\u202Edef', { multiline: true })).toBe('abcdef');
  });

  it('normalises Unicode and lets emoji and every script through', () => {
    expect(cleanText('cafe\u0301 🔥 日本語 مرحبا')).toBe('café 🔥 日本語 مرحبا');
  });
});

describe('shortening text', () => {
  it('leaves text within the limit alone', () => {
    expect(truncate('hello', 5)).toBe('hello');
  });

  it('cuts to `max` characters, the last one an ellipsis', () => {
    expect(truncate('hello world', 5)).toBe('hell…');
  });

  it('counts code points, so an emoji is never cut in half', () => {
    expect(truncate('🔥🔥🔥🔥', 3)).toBe('🔥🔥…');
    expect(length('🔥🔥')).toBe(2);
  });
});

describe('escaping for Slack', () => {
  it('shows mentions and links only as the characters typed', () => {
    expect(escapeMrkdwn('<!channel> & <@U123> <https://x|y>')).toBe(
      '&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;https://x|y&gt;',
    );
  });

  it('puts text in a code span it cannot end, shortened to 40 characters', () => {
    expect(codeSpan('a`b<c>')).toBe("`a'b&lt;c&gt;`");
    expect(codeSpan('x'.repeat(50))).toBe(`\`${'x'.repeat(39)}…\``);
  });
});

describe('did you mean', () => {
  const playbooks = ['auth-401', 'auth-403', 'db-pool', 'deploy-rollback', 'latency'];

  it('suggests the closest names first, at most three', () => {
    expect(closestNames('auth-400', playbooks)).toEqual(['auth-401', 'auth-403']);
    expect(closestNames('latncy', playbooks)).toEqual(['latency']);
  });

  it('prefers a name that contains what was typed', () => {
    expect(closestNames('rollback', playbooks)[0]).toBe('deploy-rollback');
  });

  it('ignores case and surrounding spaces', () => {
    expect(closestNames('  DB-POOL ', playbooks)[0]).toBe('db-pool');
  });

  it('suggests nothing for empty text or a name far from all of them', () => {
    expect(closestNames('   ', playbooks)).toEqual([]);
    expect(closestNames('kubernetes-node-pressure', playbooks)).toEqual([]);
  });

  it('names each candidate once and honours the limit', () => {
    expect(closestNames('auth', ['auth-401', 'auth-401', 'auth-403'], 5)).toEqual(['auth-401', 'auth-403']);
    expect(closestNames('auth', playbooks, 1)).toEqual(['auth-401']);
  });

  it('measures edit distance as insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
