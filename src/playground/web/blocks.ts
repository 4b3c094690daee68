import { renderElement, textOf, unsupported } from './elements.js';
import { type Json, type RenderContext, asArray, asObject, asString, escapeHtml, safeUrl } from './html.js';
import { mrkdwn, plainText } from './mrkdwn.js';

/**
 * Block Kit to HTML: a pure function of the blocks and the names in the
 * workspace. Every block type Slack draws in messages has a rendering; any
 * other type shows a visible placeholder, so a block the bot sends that we
 * do not draw is noticed rather than silently missing.
 *
 * Why our own and not slack-blocks-to-jsx: that one renders React
 * components and needs React and a bundler; the page is plain TypeScript
 * that tsc compiles to ES modules the browser loads as they are. A few
 * hundred lines of string building, unit-tested, is less to carry.
 */

/** A text object: mrkdwn or plain_text. */
export function renderText(value: unknown, ctx: RenderContext): string {
  const t = asObject(value);
  if (!t) return '';
  const text = asString(t.text) ?? '';
  return t.type === 'mrkdwn' ? mrkdwn(text, ctx) : plainText(text, t.emoji !== false);
}

function imageTag(src: unknown, alt: unknown, className: string): string | undefined {
  const url = safeUrl(asString(src) ?? '');
  return url
    ? `<img class="${className}" src="${url}" alt="${escapeHtml(asString(alt) ?? '')}" loading="lazy">`
    : undefined;
}

function section(block: Json, blockId: string, ctx: RenderContext): string {
  const text = block.text ? `<div class="bk-text">${renderText(block.text, ctx)}</div>` : '';
  const fields = asArray(block.fields);
  const grid = fields.length
    ? `<div class="bk-fields">${fields.map((f) => `<div class="bk-field">${renderText(f, ctx)}</div>`).join('')}</div>`
    : '';
  const accessory = block.accessory
    ? `<div class="bk-accessory">${renderElement(block.accessory, blockId, ctx)}</div>`
    : '';
  return `<div class="bk-section"><div class="bk-section-body">${text}${grid}</div>${accessory}</div>`;
}

function context(block: Json, ctx: RenderContext): string {
  const parts = asArray(block.elements).map((element) => {
    const e = asObject(element);
    if (e?.type === 'image') return imageTag(e.image_url, e.alt_text, 'bk-context-image') ?? '';
    if (e?.type === 'mrkdwn' || e?.type === 'plain_text')
      return `<span class="bk-context-text">${renderText(e, ctx)}</span>`;
    return unsupported('context element', asString(e?.type) ?? '');
  });
  return `<div class="bk-context">${parts.join('')}</div>`;
}

function image(block: Json): string {
  const img = imageTag(block.image_url, block.alt_text, 'bk-image-img');
  if (!img) return unsupported('image', 'image without a URL');
  const title = block.title ? `<figcaption>${plainText(textOf(block.title))}</figcaption>` : '';
  return `<figure class="bk-image">${title}${img}</figure>`;
}

function actions(block: Json, blockId: string, ctx: RenderContext): string {
  return `<div class="bk-actions" role="group">${asArray(block.elements)
    .map((e) => renderElement(e, blockId, ctx))
    .join('')}</div>`;
}

// rich_text: what Slack sends for a message typed in its composer.
function richInline(element: unknown, ctx: RenderContext): string {
  const e = asObject(element);
  if (!e) return '';
  const style = asObject(e.style) ?? {};
  let html: string;
  switch (e.type) {
    case 'text':
      html = plainText(asString(e.text) ?? '', false);
      break;
    case 'link': {
      const href = safeUrl(asString(e.url) ?? '');
      const label = plainText(asString(e.text) ?? asString(e.url) ?? '', false);
      html = href ? `<a href="${href}" target="_blank" rel="noopener noreferrer">${label}</a>` : label;
      break;
    }
    case 'user':
      html = mrkdwn(`<@${asString(e.user_id) ?? ''}>`, ctx);
      break;
    case 'channel':
      html = mrkdwn(`<#${asString(e.channel_id) ?? ''}>`, ctx);
      break;
    case 'usergroup':
      html = mrkdwn(`<!subteam^${asString(e.usergroup_id) ?? ''}>`, ctx);
      break;
    case 'broadcast':
      html = mrkdwn(`<!${asString(e.range) ?? 'here'}>`, ctx);
      break;
    case 'emoji':
      html = plainText(`:${asString(e.name) ?? ''}:`);
      break;
    default:
      return unsupported('rich text element', asString(e.type) ?? '');
  }
  if (style.code) html = `<code class="mk-code">${html}</code>`;
  if (style.bold) html = `<strong>${html}</strong>`;
  if (style.italic) html = `<em>${html}</em>`;
  if (style.strike) html = `<del>${html}</del>`;
  return html.replace(/\n/g, '<br>');
}

function richText(block: Json, ctx: RenderContext): string {
  const inline = (e: Json) =>
    asArray(e.elements)
      .map((x) => richInline(x, ctx))
      .join('');
  const parts = asArray(block.elements).map((element) => {
    const e = asObject(element) ?? {};
    switch (e.type) {
      case 'rich_text_section':
        return `<div>${inline(e)}</div>`;
      case 'rich_text_preformatted':
        return `<pre class="mk-pre">${inline(e)}</pre>`;
      case 'rich_text_quote':
        return `<blockquote class="mk-quote">${inline(e)}</blockquote>`;
      case 'rich_text_list': {
        const tag = e.style === 'ordered' ? 'ol' : 'ul';
        return `<${tag}>${asArray(e.elements)
          .map((item) => `<li>${inline(asObject(item) ?? {})}</li>`)
          .join('')}</${tag}>`;
      }
      default:
        return unsupported('rich text part', asString(e.type) ?? '');
    }
  });
  return `<div class="bk-rich-text">${parts.join('')}</div>`;
}

/** One block; `input` blocks are drawn by the modal renderer, which owns the form. */
export function renderBlock(block: unknown, ctx: RenderContext): string {
  const b = asObject(block);
  const type = asString(b?.type) ?? '';
  if (!b) return `<div class="bk-block">${unsupported('block', type)}</div>`;
  const blockId = asString(b.block_id) ?? '';
  let html: string;
  switch (type) {
    case 'header':
      html = `<h3 class="bk-header">${plainText(textOf(b.text), asObject(b.text)?.emoji !== false)}</h3>`;
      break;
    case 'section':
      html = section(b, blockId, ctx);
      break;
    case 'context':
      html = context(b, ctx);
      break;
    case 'divider':
      html = '<hr class="bk-divider">';
      break;
    case 'image':
      html = image(b);
      break;
    case 'actions':
      html = actions(b, blockId, ctx);
      break;
    case 'rich_text':
      html = richText(b, ctx);
      break;
    default:
      html = unsupported('block', type);
  }
  return `<div class="bk-block bk-${escapeHtml(type.replace(/[^a-z_]/g, ''))}" data-block-id="${escapeHtml(blockId)}">${html}</div>`;
}

export function renderBlocks(blocks: unknown, ctx: RenderContext): string {
  return `<div class="bk-blocks">${asArray(blocks)
    .map((b) => renderBlock(b, ctx))
    .join('')}</div>`;
}
