import { formatSlackDate } from './dates.js';
import { replaceEmoji } from './emoji.js';
import { type RenderContext, escapeHtml, safeUrl } from './html.js';

/**
 * Slack mrkdwn to HTML, as Slack's client shows it: *bold*, _italic_,
 * ~strike~, `code`, ```code blocks```, > quotes, <links|labels>, mentions
 * shown as names, <!here>, and <!date^…> in local time.
 *
 * How: code, then `<…>` entities, are swapped for placeholders (an index
 * framed by U+E000, a private-use character stripped from the input first)
 * so formatting cannot reach inside them; the remaining text is
 * un-escaped from Slack's &amp;/&lt;/&gt; and escaped for HTML; formatting
 * markers become tags; the placeholders come back as their rendered HTML.
 */

/** Slack's own escaping: the only three entities it uses. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** plain_text: escaped, emoji shortcodes shown when `emoji` is not false. */
export function plainText(text: string, emoji = true): string {
  const html = escapeHtml(text);
  return emoji ? replaceEmoji(html) : html;
}

const mention = (kind: string, label: string) => `<span class="mention mention-${kind}">${escapeHtml(label)}</span>`;

/** One `<…>` entity (without the brackets). */
export function renderEntity(inner: string, ctx: RenderContext): string {
  const bar = inner.indexOf('|');
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? unescapeSlack(inner.slice(bar + 1)) : undefined;
  if (/^@[UW][A-Z0-9]+$/.test(target))
    return mention('user', `@${ctx.users[target.slice(1)] ?? label ?? target.slice(1)}`);
  if (/^#[CGD][A-Z0-9]+$/.test(target))
    return mention('channel', `#${ctx.channels[target.slice(1)] ?? label ?? target.slice(1)}`);
  if (target.startsWith('!subteam^')) {
    const id = target.slice('!subteam^'.length);
    return mention('usergroup', `@${ctx.usergroups[id] ?? label?.replace(/^@/, '') ?? id}`);
  }
  if (target === '!here' || target === '!channel' || target === '!everyone')
    return mention('broadcast', `@${target.slice(1)}`);
  if (target.startsWith('!date^')) return renderDate(target, label ?? '', ctx);
  if (target.startsWith('!')) return escapeHtml(label ?? target.slice(1));
  const url = unescapeSlack(target);
  const href = safeUrl(url);
  const text = plainText(label ?? url);
  return href ? `<a href="${href}" target="_blank" rel="noopener noreferrer">${text}</a>` : text;
}

function renderDate(target: string, fallback: string, ctx: RenderContext): string {
  const [, seconds = '', format = '', link] = target.split('^');
  const text = formatSlackDate(Number(seconds), unescapeSlack(format), ctx) ?? fallback;
  const iso = Number.isFinite(Number(seconds)) ? new Date(Number(seconds) * 1000).toISOString() : '';
  const time = `<time datetime="${escapeHtml(iso)}" title="${escapeHtml(fallback)}">${escapeHtml(text)}</time>`;
  const href = link ? safeUrl(unescapeSlack(link)) : undefined;
  return href ? `<a href="${href}" target="_blank" rel="noopener noreferrer">${time}</a>` : time;
}

// A marker opens after a start, space or punctuation and closes before one; the content neither starts nor ends
// with a space.
const OPEN = String.raw`(^|[^\p{L}\p{N}])`;
const CLOSE = String.raw`(?![\p{L}\p{N}])`;
const styles: Array<[RegExp, string]> = [
  [new RegExp(`${OPEN}\\*(?!\\s)([^*\\n]*?[^\\s*])\\*${CLOSE}`, 'gu'), 'strong'],
  [new RegExp(`${OPEN}_(?!\\s)([^_\\n]*?[^\\s_])_${CLOSE}`, 'gu'), 'em'],
  [new RegExp(`${OPEN}~(?!\\s)([^~\\n]*?[^\\s~])~${CLOSE}`, 'gu'), 'del'],
];

function formatLine(line: string): string {
  let html = replaceEmoji(escapeHtml(unescapeSlack(line)));
  for (const [pattern, tag] of styles)
    html = html.replace(pattern, (_m, before: string, inner: string) => `${before}<${tag}>${inner}</${tag}>`);
  return html;
}

export function mrkdwn(text: string, ctx: RenderContext): string {
  const held: string[] = [];
  const hold = (html: string) => `\uE000${held.push(html) - 1}\uE000`;
  let source = text.replace(/\uE000/g, '');
  source = source.replace(/```([\s\S]*?)```/g, (_m, code: string) =>
    hold(`<pre class="mk-pre">${escapeHtml(unescapeSlack(code.replace(/^\n/, '')))}</pre>`),
  );
  source = source.replace(/`([^`\n]+)`/g, (_m, code: string) =>
    hold(`<code class="mk-code">${escapeHtml(unescapeSlack(code))}</code>`),
  );
  source = source.replace(/<([^<>\n]+)>/g, (_m, inner: string) => hold(renderEntity(inner, ctx)));
  const out: string[] = [];
  let quote: string[] = [];
  const endQuote = () => {
    if (quote.length) out.push(`<blockquote class="mk-quote">${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  const lines = source.split('\n');
  lines.forEach((line, index) => {
    const quoted = /^(>|&gt;) ?/.exec(line);
    if (quoted) {
      quote.push(formatLine(line.slice(quoted[0].length)));
      return;
    }
    endQuote();
    out.push(formatLine(line) + (index < lines.length - 1 ? '<br>' : ''));
  });
  endQuote();
  return out.join('').replace(/\uE000(\d+)\uE000/g, (_m, index: string) => held[Number(index)] ?? '');
}
