import { z } from 'zod';
import { channelNameError } from '../channelName.js';
import { count, flag, id, idList, text, ts } from '../params.js';
import { apiChannel, apiMessage } from '../shapes.js';
import type { Channel, Message } from '../state.js';
import {
  type MethodContext,
  type MethodRun,
  defineMethod,
  fail,
  memberChannel,
  page,
  visibleChannel,
} from './method.js';

const channelAnswer = (ctx: MethodContext, channel: Channel) => apiChannel(ctx.workspace, channel);

const create = defineMethod(z.object({ name: z.string().optional(), is_private: flag.optional() }), (ctx, p) => {
  const error = channelNameError(p.name);
  if (error) fail(error);
  const name = p.name as string;
  if (ctx.workspace.channels.some((c) => c.name === name && c.kind !== 'im')) fail('name_taken');
  const channel = ctx.store.addChannel({
    prefix: 'C',
    kind: p.is_private ? 'private' : 'public',
    name,
    members: [ctx.store.botUserId],
  });
  return { channel: channelAnswer(ctx, channel) };
});

const invite = defineMethod(
  z.object({ channel: id, users: idList, force: flag.optional() }),
  (ctx, p) => {
    const channel = visibleChannel(ctx, p.channel);
    if (channel.kind === 'im') fail('method_not_supported_for_channel_type');
    if (!ctx.store.isMember(channel, ctx.store.botUserId)) fail('not_in_channel');
    if (p.users.length === 0) fail('no_user');
    const problems: { user: string; ok: false; error: string }[] = [];
    for (const user of p.users) {
      const error =
        user === ctx.store.botUserId
          ? 'cant_invite_self'
          : !ctx.store.user(user)
            ? 'user_not_found'
            : ctx.store.isMember(channel, user)
              ? 'already_in_channel'
              : undefined;
      if (error) problems.push({ user, ok: false, error });
    }
    const first = problems[0];
    if (first && !p.force) fail(first.error, { errors: problems });
    const failed = new Set(problems.map((e) => e.user));
    for (const user of p.users) if (!failed.has(user)) ctx.store.join(channel, user);
    return { channel: channelAnswer(ctx, channel), ...(problems.length ? { errors: problems } : {}) };
  },
  { channel: 'channel_not_found', users: 'no_user' },
);

const join = defineMethod(
  z.object({ channel: id }),
  (ctx, p) => {
    const channel = visibleChannel(ctx, p.channel);
    if (channel.kind !== 'public') fail('method_not_supported_for_channel_type');
    if (channel.is_archived) fail('is_archived');
    const joined = ctx.store.join(channel, ctx.store.botUserId);
    return {
      channel: channelAnswer(ctx, channel),
      ...(joined ? {} : { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } }),
    };
  },
  { channel: 'channel_not_found' },
);

const info = defineMethod(
  z.object({ channel: id, include_num_members: flag.optional() }),
  (ctx, p) => ({ channel: channelAnswer(ctx, visibleChannel(ctx, p.channel)) }),
  { channel: 'channel_not_found' },
);

const open = defineMethod(
  z.object({ users: idList.optional(), channel: id.optional(), return_im: flag.optional() }),
  (ctx, p) => {
    if (p.channel) return { channel: channelAnswer(ctx, visibleChannel(ctx, p.channel)) };
    const users = (p.users ?? []).filter((u) => u !== ctx.store.botUserId);
    if (!p.users?.length) fail('users_list_not_supplied');
    if (users.length > 8) fail('too_many_users');
    for (const user of users) if (!ctx.store.user(user)) fail('user_not_found');
    const [only] = users;
    if (users.length === 1 && only) {
      const before = ctx.workspace.channels.length;
      const im = ctx.store.openIm(only);
      const reopened = ctx.workspace.channels.length === before;
      return {
        ...(reopened ? { no_op: true, already_open: true } : {}),
        channel: p.return_im ? channelAnswer(ctx, im) : { id: im.id },
      };
    }
    if (users.length === 0) fail('not_enough_users');
    const members = [ctx.store.botUserId, ...users].sort();
    const existing = ctx.workspace.channels.find(
      (c) => c.kind === 'mpim' && [...c.members].sort().join() === members.join(),
    );
    const mpim =
      existing ??
      ctx.store.addChannel({
        prefix: 'G',
        kind: 'mpim',
        name: `mpdm-${members.map((m) => ctx.store.user(m)?.name ?? m).join('--')}-1`,
        members,
      });
    return { channel: p.return_im ? channelAnswer(ctx, mpim) : { id: mpim.id } };
  },
);

function window(
  messages: Message[],
  p: { oldest?: string | undefined; latest?: string | undefined; inclusive?: boolean | undefined },
): Message[] {
  const oldest = Number(p.oldest ?? 0);
  const latest = p.latest ? Number(p.latest) : Number.POSITIVE_INFINITY;
  return messages.filter((m) => {
    const at = Number(m.ts);
    return p.inclusive ? at >= oldest && at <= latest : at > oldest && at < latest;
  });
}

const readArgs = {
  cursor: z.string().optional(),
  limit: count.optional(),
  oldest: ts.optional(),
  latest: ts.optional(),
  inclusive: flag.optional(),
};

const history = defineMethod(
  z.object({ channel: id, ...readArgs }),
  (ctx, p) => {
    const channel = memberChannel(ctx, p.channel);
    const newestFirst = window(ctx.store.messages(channel.id), p).reverse();
    const { items, next_cursor } = page(newestFirst, p.cursor, p.limit, 999);
    return {
      messages: items.map((m) => apiMessage(ctx.workspace, ctx.baseUrl, m)),
      has_more: next_cursor !== '',
      pin_count: channel.pins.length,
      response_metadata: { next_cursor },
    };
  },
  { channel: 'channel_not_found' },
);

const replies = defineMethod(
  z.object({ channel: id, ts, ...readArgs }),
  (ctx, p) => {
    const channel = memberChannel(ctx, p.channel);
    const message = ctx.store.message(channel.id, p.ts) ?? fail('thread_not_found');
    const parent =
      message.thread_ts && message.thread_ts !== message.ts
        ? (ctx.store.message(channel.id, message.thread_ts) ?? message)
        : message;
    const thread = [parent, ...window(ctx.store.thread(channel.id, parent.ts), p)];
    const { items, next_cursor } = page(thread, p.cursor, p.limit, 1000);
    return {
      messages: items.map((m) => apiMessage(ctx.workspace, ctx.baseUrl, m)),
      has_more: next_cursor !== '',
      response_metadata: { next_cursor },
    };
  },
  { channel: 'channel_not_found', ts: 'thread_not_found' },
);

const TYPE_OF: Record<string, Channel['kind']> = {
  public_channel: 'public',
  private_channel: 'private',
  im: 'im',
  mpim: 'mpim',
};

const list = defineMethod(
  z.object({
    types: text.optional(),
    exclude_archived: flag.optional(),
    cursor: z.string().optional(),
    limit: count.optional(),
  }),
  (ctx, p) => {
    const names = (p.types ?? 'public_channel')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const kinds = names.map((t) => TYPE_OF[t] ?? fail('invalid_types'));
    const bot = ctx.store.botUserId;
    const visible = ctx.workspace.channels.filter(
      (c) =>
        kinds.includes(c.kind) &&
        (c.kind === 'public' || c.members.includes(bot)) &&
        !(p.exclude_archived && c.is_archived),
    );
    const { items, next_cursor } = page(visible, p.cursor, p.limit, 1000);
    return { channels: items.map((c) => channelAnswer(ctx, c)), response_metadata: { next_cursor } };
  },
);

const members = defineMethod(
  z.object({ channel: id, cursor: z.string().optional(), limit: count.optional() }),
  (ctx, p) => {
    const channel = visibleChannel(ctx, p.channel);
    const { items, next_cursor } = page(channel.members, p.cursor, p.limit, 1000);
    return { members: items, response_metadata: { next_cursor } };
  },
  { channel: 'channel_not_found' },
);

function setter(field: 'topic' | 'purpose'): MethodRun {
  return defineMethod(
    z.object({ channel: id, [field]: text }),
    (ctx, p) => {
      const channel = memberChannel(ctx, String(p.channel));
      const value = String(p[field]);
      if (value.length > 250) fail('too_long');
      channel[field] = value;
      ctx.store.changed({ type: 'channel_changed', channel: channel.id });
      return { channel: channelAnswer(ctx, channel) };
    },
    { channel: 'channel_not_found' },
  );
}

export const conversationsMethods: Record<string, MethodRun> = {
  'conversations.create': create,
  'conversations.invite': invite,
  'conversations.join': join,
  'conversations.info': info,
  'conversations.open': open,
  'conversations.history': history,
  'conversations.replies': replies,
  'conversations.list': list,
  'conversations.members': members,
  'conversations.setTopic': setter('topic'),
  'conversations.setPurpose': setter('purpose'),
};
