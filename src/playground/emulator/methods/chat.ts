import { z } from 'zod';
import { flag, id, text, ts } from '../params.js';
import { apiMessage, permalink } from '../shapes.js';
import type { Message } from '../state.js';
import { isReply } from '../messageStore.js';
import {
  type MethodContext,
  type MethodRun,
  content,
  defineMethod,
  fail,
  memberChannel,
  visibleChannel,
} from './method.js';
import { definedProps, presentProps } from '../../../domain/defined.js';

const body = {
  text: text.optional(),
  blocks: z.unknown().optional(),
  attachments: z.unknown().optional(),
};

function existing(ctx: MethodContext, channel: string, messageTs: string): Message {
  const message = ctx.store.message(channel, messageTs);
  if (!message) fail('message_not_found');
  return message;
}

const postMessage = defineMethod(
  z.object({
    channel: id,
    ...body,
    thread_ts: ts.optional(),
    reply_broadcast: flag.optional(),
    metadata: z.unknown().optional(),
  }),
  (ctx, p) => {
    const channel = memberChannel(ctx, p.channel);
    const checked = content(p);
    let threadTs: string | undefined;
    if (p.thread_ts) {
      // Slack threads a reply to a reply under the same parent. A ts that names no
      // message is refused here (Slack would file an invisible orphan reply).
      const parent = ctx.store.message(channel.id, p.thread_ts) ?? fail('thread_not_found');
      threadTs = isReply(parent) ? parent.thread_ts : parent.ts;
    }
    const message = ctx.store.post({
      channel: channel.id,
      user: ctx.store.botUserId,
      ...checked,
      ...(threadTs ? { thread_ts: threadTs, reply_broadcast: p.reply_broadcast ?? false } : {}),
      ...definedProps({ metadata: p.metadata }),
    });
    return { channel: channel.id, ts: message.ts, message: apiMessage(ctx.workspace, ctx.baseUrl, message) };
  },
  { channel: 'channel_not_found' },
);

const update = defineMethod(
  z.object({ channel: id, ts, ...body }),
  (ctx, p) => {
    const channel = visibleChannel(ctx, p.channel);
    const message = existing(ctx, channel.id, p.ts);
    if (message.user !== ctx.store.botUserId) fail('cant_update_message');
    const checked = content(p);
    ctx.store.update(
      message,
      {
        ...(p.text !== undefined ? { text: checked.text } : {}),
        ...(p.blocks !== undefined ? { blocks: checked.blocks ?? [] } : {}),
        ...(p.attachments !== undefined ? { attachments: checked.attachments ?? [] } : {}),
      },
      ctx.store.botUserId,
    );
    const { ts: _ts, ...answer } = apiMessage(ctx.workspace, ctx.baseUrl, message);
    return { channel: channel.id, ts: message.ts, text: message.text, message: answer };
  },
  { channel: 'channel_not_found', ts: 'message_not_found' },
);

const remove = defineMethod(
  z.object({ channel: id, ts }),
  (ctx, p) => {
    const channel = visibleChannel(ctx, p.channel);
    const message = existing(ctx, channel.id, p.ts);
    if (message.user !== ctx.store.botUserId) fail('cant_delete_message');
    ctx.store.remove(message);
    return { channel: channel.id, ts: message.ts };
  },
  { channel: 'channel_not_found', ts: 'message_not_found' },
);

const postEphemeral = defineMethod(
  z.object({ channel: id, user: id, ...body, thread_ts: ts.optional() }),
  (ctx, p) => {
    const channel = memberChannel(ctx, p.channel);
    if (!ctx.store.isMember(channel, p.user)) fail('user_not_in_channel');
    const checked = content(p);
    const ephemeral = ctx.store.addEphemeral({
      channel: channel.id,
      user: p.user,
      text: checked.text,
      ...definedProps({ blocks: checked.blocks }),
      ...presentProps({ thread_ts: p.thread_ts }),
      source: 'chat.postEphemeral',
    });
    return { message_ts: ephemeral.ts };
  },
  { channel: 'channel_not_found', user: 'user_not_in_channel' },
);

const getPermalink = defineMethod(
  z.object({ channel: id, message_ts: ts }),
  (ctx, p) => {
    const channel = visibleChannel(ctx, p.channel);
    return { channel: channel.id, permalink: permalink(ctx.workspace, existing(ctx, channel.id, p.message_ts)) };
  },
  { channel: 'channel_not_found', message_ts: 'message_not_found' },
);

const pinsAdd = defineMethod(
  z.object({ channel: id, timestamp: ts }),
  (ctx, p) => {
    const channel = memberChannel(ctx, p.channel);
    const message = existing(ctx, channel.id, p.timestamp);
    if (channel.pins.includes(message.ts)) fail('already_pinned');
    ctx.store.pin(channel, message.ts);
    return {};
  },
  { channel: 'channel_not_found', timestamp: 'no_item_specified' },
);

const pinsList = defineMethod(
  z.object({ channel: id }),
  (ctx, p) => {
    const channel = visibleChannel(ctx, p.channel);
    const items = channel.pins
      .map((pinned) => ctx.store.message(channel.id, pinned))
      .filter((m): m is Message => m !== undefined)
      .map((m) => ({
        type: 'message',
        created: Math.floor(Number(m.ts)),
        created_by: ctx.store.botUserId,
        channel: channel.id,
        message: apiMessage(ctx.workspace, ctx.baseUrl, m),
      }));
    return { items };
  },
  { channel: 'channel_not_found' },
);

export const chatMethods: Record<string, MethodRun> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.delete': remove,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
  'pins.add': pinsAdd,
  'pins.list': pinsList,
};
