import type { Channel, EphemeralMessage, Message, Workspace } from '../emulator/state.js';
import { type RenderContext, dataAttrs, escapeHtml } from './html.js';
import { renderEphemeral, renderMessage } from './messages.js';

/**
 * Pure pieces of the page: the render context from the workspace, the
 * sidebar, and the ordered items of the channel and thread panes.
 */

export function contextOf(workspace: Workspace, now: Date): RenderContext {
  const users: Record<string, string> = {};
  for (const u of workspace.users) users[u.id] = u.real_name || u.name;
  const channels: Record<string, string> = {};
  for (const c of workspace.channels) channels[c.id] = c.kind === 'im' ? (users[c.im_user ?? ''] ?? c.name) : c.name;
  const usergroups: Record<string, string> = {};
  for (const g of workspace.usergroups) usergroups[g.id] = g.handle;
  return { users, channels, usergroups, now };
}

const tsKey = (ts: string) =>
  ts
    .split('.')
    .map((part) => part.padStart(10, '0'))
    .join('.');
export const byTs = (a: { ts: string }, b: { ts: string }) =>
  tsKey(a.ts) < tsKey(b.ts) ? -1 : tsKey(a.ts) > tsKey(b.ts) ? 1 : 0;

/** Channels in the sidebar: the shared ones, then the acting user's DM with the bot. */
export function sidebarHtml(workspace: Workspace, user: string, current: string | undefined): string {
  const link = (c: Channel, label: string, prefix: string) => {
    const attrs = `${dataAttrs({ kind: 'channel', channel: c.id })}${c.id === current ? ' aria-current="page"' : ''}`;
    const text = `<span class="chan-prefix" aria-hidden="true">${prefix}</span>${escapeHtml(label)}`;
    return `<li><a href="#${escapeHtml(c.id)}"${attrs}>${text}</a></li>`;
  };
  const shared = workspace.channels.filter(
    (c) => (c.kind === 'public' || (c.kind === 'private' && c.members.includes(user))) && !c.is_archived,
  );
  const dms = workspace.channels.filter((c) => c.kind === 'im' && c.im_user === user);
  const bot = workspace.users.find((u) => u.id === workspace.bot.user_id)?.name ?? 'incident-bot';
  const list = (title: string, items: string) =>
    `<h2 class="side-title">${title}</h2><ul class="side-list">${items}</ul>`;
  return (
    list('Channels', shared.map((c) => link(c, c.name, c.kind === 'private' ? '🔒' : '#')).join('')) +
    list('Direct messages', dms.map((c) => link(c, bot, '●')).join('') || '<li class="side-empty">none yet</li>')
  );
}

export interface PaneItems {
  channel: Array<{ key: string; html: string }>;
  thread: Array<{ key: string; html: string }>;
  parent: Message | undefined;
}

/** What the channel pane and the thread pane show, for the acting user. */
export function paneItems(
  workspace: Workspace,
  o: { user: string; channel: string; threadTs?: string; dismissed: Set<string>; since?: string; ctx: RenderContext },
): PaneItems {
  const all = workspace.messages[o.channel] ?? [];
  const isReply = (m: Message) => m.thread_ts !== undefined && m.thread_ts !== m.ts;
  // As in Slack, ephemerals live until the page is reloaded: only those that came after it loaded are shown.
  const fresh = (e: EphemeralMessage) => o.since === undefined || byTs(e, { ts: o.since }) > 0;
  const mine = workspace.ephemerals.filter(
    (e) => e.user === o.user && e.channel === o.channel && !o.dismissed.has(e.ts) && fresh(e),
  );
  const item = (x: Message | EphemeralMessage, html: string) => ({ key: x.ts, html, ts: x.ts });
  const bot = workspace.bot.user_id;
  const channel = [
    ...all.filter((m) => !isReply(m) || m.subtype === 'thread_broadcast').map((m) => item(m, renderMessage(m, o.ctx))),
    ...mine.filter((e) => !e.thread_ts).map((e) => item(e, renderEphemeral(e, bot, o.ctx))),
  ].sort(byTs);
  const parent = o.threadTs ? all.find((m) => m.ts === o.threadTs) : undefined;
  const thread = parent
    ? [
        item(parent, renderMessage(parent, o.ctx, { inThread: true })),
        ...[
          ...all
            .filter((m) => isReply(m) && m.thread_ts === parent.ts)
            .map((m) => item(m, renderMessage(m, o.ctx, { inThread: true }))),
          ...mine.filter((e) => e.thread_ts === parent.ts).map((e) => item(e, renderEphemeral(e, bot, o.ctx))),
        ].sort(byTs),
      ]
    : [];
  return {
    channel: channel.map(({ key, html }) => ({ key, html })),
    thread: thread.map(({ key, html }) => ({ key, html })),
    parent,
  };
}
