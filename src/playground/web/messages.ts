import type { EphemeralMessage, FileRef, Message } from '../emulator/state.js';
import { renderBlocks } from './blocks.js';
import { type RenderContext, dataAttrs, escapeHtml } from './html.js';
import { mrkdwn } from './mrkdwn.js';

/**
 * One message as an `<article>`: author, time, its blocks (or its text when
 * it has none), files, and the way into its thread. Ephemerals say "Only
 * visible to you", as Slack does.
 */

export interface Shown {
  /** In the thread pane: no "replies" button. */
  inThread?: boolean;
}

function clock(ts: string, ctx: RenderContext): string {
  const date = new Date(Number(ts.split('.')[0]) * 1000);
  const text = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: ctx.timeZone }).format(
    date,
  );
  return `<time class="msg-time" datetime="${date.toISOString()}">${escapeHtml(text)}</time>`;
}

function files(list: FileRef[] | undefined): string {
  if (!list?.length) return '';
  const links = list.map((f) => {
    const href = `/emulator/files/${encodeURIComponent(f.id)}/${encodeURIComponent(f.name)}`;
    const size = `<span class="msg-file-size">${Math.max(1, Math.round(f.size / 1024))} KB</span>`;
    const label = `<span aria-hidden="true">📄</span> ${escapeHtml(f.title || f.name)} ${size}`;
    return `<a class="msg-file" href="${escapeHtml(href)}" download="${escapeHtml(f.name)}">${label}</a>`;
  });
  return `<div class="msg-files">${links.join('')}</div>`;
}

function body(text: string, blocks: unknown[] | undefined, ctx: RenderContext): string {
  return blocks?.length ? renderBlocks(blocks, ctx) : `<div class="msg-text">${mrkdwn(text, ctx)}</div>`;
}

function author(id: string, ctx: RenderContext, isBot: boolean): string {
  const badge = isBot ? ' <span class="msg-badge">APP</span>' : '';
  return `<span class="msg-author">${escapeHtml(ctx.users[id] ?? id)}</span>${badge}`;
}

export function renderMessage(m: Message, ctx: RenderContext, shown: Shown = {}): string {
  const edited = m.edited ? ' <span class="msg-edited">(edited)</span>' : '';
  const broadcast = m.subtype === 'thread_broadcast' ? '<div class="msg-note">replied to a thread</div>' : '';
  const openThread = dataAttrs({ kind: 'open-thread', ts: m.ts });
  const replyCount = `${m.reply_count} ${m.reply_count === 1 ? 'reply' : 'replies'}`;
  const replies =
    !shown.inThread && m.reply_count
      ? `<button type="button" class="msg-replies"${openThread}>${replyCount}</button>`
      : '';
  const reply =
    !shown.inThread && !m.reply_count && m.thread_ts === undefined
      ? `<button type="button" class="msg-reply-link" aria-label="Reply in thread"${openThread}>Reply</button>`
      : '';
  return (
    `<article class="msg"${dataAttrs({ ts: m.ts, channel: m.channel })}>` +
    `<div class="msg-head">${author(m.user, ctx, m.bot_id !== undefined)} ${clock(m.ts, ctx)}${edited}</div>` +
    `${broadcast}${body(m.text, m.blocks, ctx)}${files(m.files)}${replies}${reply}</article>`
  );
}

export function renderEphemeral(e: EphemeralMessage, botUser: string, ctx: RenderContext): string {
  return (
    `<article class="msg msg-ephemeral"${dataAttrs({ ts: e.ts, channel: e.channel, ephemeral: 'true' })}>` +
    `<div class="msg-head">${author(botUser, ctx, true)} ${clock(e.ts, ctx)} <span class="msg-only-you">Only visible to you</span></div>` +
    `${body(e.text, e.blocks, ctx)}` +
    `<button type="button" class="msg-dismiss"${dataAttrs({ kind: 'dismiss', ts: e.ts })}>Dismiss</button></article>`
  );
}
