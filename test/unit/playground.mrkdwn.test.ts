import { describe, expect, it } from 'vitest';
import { formatSlackDate } from '../../src/playground/web/dates.js';
import type { RenderContext } from '../../src/playground/web/html.js';
import { escapeHtml, safeUrl } from '../../src/playground/web/html.js';
import { mrkdwn, plainText } from '../../src/playground/web/mrkdwn.js';

// 2026-03-14T15:09:26Z, a Saturday; the reader's "now" is an hour later the same day.
const AT = Date.UTC(2026, 2, 14, 15, 9, 26) / 1000;
const ctx: RenderContext = {
  users: { U0ONCALL01: 'Ada Lovelace', U0SECOND02: 'Grace Hopper' },
  channels: { C0INCIDENTS: 'incidents' },
  usergroups: { S0LEVEL1: 'oncall-auth' },
  now: new Date((AT + 3600) * 1000),
  timeZone: 'UTC',
};
const md = (text: string) => mrkdwn(text, ctx);

describe('mrkdwn', () => {
  it('renders bold, italic, strike and their combinations', () => {
    expect(md('*bold* _italic_ ~strike~')).toBe('<strong>bold</strong> <em>italic</em> <del>strike</del>');
    expect(md('*_both_*')).toBe('<strong><em>both</em></strong>');
    expect(md('*Severity*\nSEV2')).toBe('<strong>Severity</strong><br>SEV2');
  });

  it('leaves markers that are not formatting alone', () => {
    expect(md('snake_case_name and 2*3*4')).toBe('snake_case_name and 2*3*4');
    expect(md('* not bold *')).toBe('* not bold *');
  });

  it('renders inline code and code blocks without formatting inside them', () => {
    expect(md('run `python3 *x*.py`')).toBe('run <code class="mk-code">python3 *x*.py</code>');
    expect(md('```\nline *one*\n<b>two</b>\n```')).toBe(
      '<pre class="mk-pre">line *one*\n&lt;b&gt;two&lt;/b&gt;\n</pre>',
    );
  });

  it('shows user, channel and user-group mentions as names', () => {
    const mention = (kind: string, name: string) => `<span class="mention mention-${kind}">${name}</span>`;
    expect(md('<@U0ONCALL01> in <#C0INCIDENTS> paged <!subteam^S0LEVEL1>')).toBe(
      `${mention('user', '@Ada Lovelace')} in ${mention('channel', '#incidents')} paged ${mention('usergroup', '@oncall-auth')}`,
    );
    expect(md('<@U0UNKNOWN9|someone>')).toContain('@someone');
    expect(md('<#C0OTHER000|elsewhere>')).toContain('#elsewhere');
  });

  it('renders <!here>, <!channel> and <!everyone> as broadcasts', () => {
    expect(md('<!here> and <!channel>')).toBe(
      '<span class="mention mention-broadcast">@here</span> and <span class="mention mention-broadcast">@channel</span>',
    );
  });

  it('renders links with labels, and refuses scripts as links', () => {
    expect(md('<https://example.com/a?b=1&amp;c=2|the docs>')).toBe(
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the docs</a>',
    );
    expect(md('<mailto:ops@example.com>')).toContain('href="mailto:ops@example.com"');
    expect(md('<javascript:alert(1)|click>')).toBe('click');
  });

  it('formats text around mentions and links', () => {
    expect(md('*<@U0SECOND02> approved*')).toBe(
      '<strong><span class="mention mention-user">@Grace Hopper</span> approved</strong>',
    );
  });

  it("renders <!date^…> in the reader's zone, with the fallback when the date is unusable", () => {
    expect(md(`<!date^${AT}^{date_short_pretty} {time}|2026-03-14 15:09 UTC>`)).toBe(
      `<time datetime="2026-03-14T15:09:26.000Z" title="2026-03-14 15:09 UTC">Today 3:09 PM</time>`,
    );
    expect(md('<!date^nonsense^{time}|at some point>')).toContain('>at some point</time>');
  });

  it('turns quotes into blockquotes and emoji shortcodes into emoji', () => {
    expect(md('&gt; quoted\n&gt; more\nafter')).toBe('<blockquote class="mk-quote">quoted<br>more</blockquote>after');
    expect(md(':white_check_mark: Done :no_such_emoji:')).toBe('✅ Done :no_such_emoji:');
  });

  it("escapes everything people typed, keeping Slack's own escapes as the characters they stand for", () => {
    expect(md('<script>alert(1)</script>')).not.toContain('<script');
    expect(md('&lt;img src=x onerror=alert(1)&gt; "quoted" & \'single\'')).toBe(
      '&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &amp; &#39;single&#39;',
    );
    expect(md('<@U0ONCALL01|"><img src=x>>')).not.toContain('<img');
  });

  it('cannot be fooled by placeholder characters in the input', () => {
    expect(md('\uE0000\uE000 <@U0ONCALL01>')).toBe('0 <span class="mention mention-user">@Ada Lovelace</span>');
  });
});

describe('plain text and URLs', () => {
  it('escapes plain_text and shows emoji unless told not to', () => {
    expect(plainText('<b> :x:')).toBe('&lt;b&gt; ❌');
    expect(plainText(':x:', false)).toBe(':x:');
    expect(escapeHtml(`"'&<>`)).toBe('&quot;&#39;&amp;&lt;&gt;');
  });

  it('allows http(s), mailto and same-server paths only', () => {
    expect(safeUrl('https://example.com/x')).toBe('https://example.com/x');
    expect(safeUrl('/emulator/files/F1/report.md')).toBe('/emulator/files/F1/report.md');
    expect(safeUrl('//evil.example/x')).toBeUndefined();
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('data:text/html,x')).toBeUndefined();
  });
});

describe('date tokens', () => {
  const format = (f: string, now = ctx.now) => formatSlackDate(AT, f, { ...ctx, now });
  it('renders every token Slack documents', () => {
    expect(format('{date_num}')).toBe('2026-03-14');
    expect(format('{date}')).toBe('March 14th, 2026');
    expect(format('{date_short}')).toBe('Mar 14, 2026');
    expect(format('{date_long}')).toBe('Saturday, March 14th, 2026');
    expect(format('{time}')).toBe('3:09 PM');
    expect(format('{time_secs}')).toBe('3:09:26 PM');
    expect(format('{ago}')).toBe('1 hour ago');
    expect(format('at {unknown}')).toBe('at {unknown}');
  });

  it("says Today, Yesterday and Tomorrow relative to the bot's clock", () => {
    const day = 86_400_000;
    expect(format('{date_pretty}')).toBe('Today');
    expect(format('{date_pretty}', new Date(ctx.now.getTime() + day))).toBe('Yesterday');
    expect(format('{date_long_pretty}', new Date(ctx.now.getTime() - day))).toBe('Tomorrow');
    expect(format('{date_short_pretty}', new Date(ctx.now.getTime() + 5 * day))).toBe('Mar 14, 2026');
    expect(format('{ago}', new Date(AT * 1000 - 120_000))).toBe('in 2 minutes');
  });

  it("uses the reader's time zone", () => {
    expect(formatSlackDate(AT, '{time}', { ...ctx, timeZone: 'America/New_York' })).toBe('11:09 AM');
  });
});
