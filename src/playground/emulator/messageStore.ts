import { ChannelStore } from './channelStore.js';
import { withBlockIds } from './ids.js';
import type { Block, Message } from './state.js';
import { definedProps, presentProps } from '../../domain/defined.js';

/** A message as a post asks for it: the stored message's own fields, before Slack gives it its ts. */
export type NewMessage = Pick<Message, 'channel' | 'user' | 'text'> &
  Partial<Pick<Message, 'blocks' | 'attachments' | 'thread_ts' | 'files' | 'metadata'>> & { reply_broadcast?: boolean };

/** What a person types: a channel id or name, and a thread to reply in. */
export interface UserMessage {
  user: string;
  channel: string;
  text: string;
  threadTs?: string;
  blocks?: Block[];
}

export interface MessagePatch {
  text?: string;
  blocks?: Block[];
  attachments?: unknown[];
}

/** The workspace's messages on top of its channels: posts, threads, edits and deletions. */
export class MessageStore extends ChannelStore {
  private list(channel: string): Message[] {
    return (this.workspace.messages[channel] ??= []);
  }

  message(channel: string, ts: string): Message | undefined {
    return this.workspace.messages[channel]?.find((m) => m.ts === ts);
  }

  /** Top-level messages and replies broadcast to the channel, oldest first. */
  messages(channel: string): Message[] {
    return (this.workspace.messages[channel] ?? []).filter((m) => !isReply(m) || m.subtype === 'thread_broadcast');
  }

  /** Replies in a thread, oldest first (without the parent). */
  thread(channel: string, ts: string): Message[] {
    return (this.workspace.messages[channel] ?? []).filter((m) => isReply(m) && m.thread_ts === ts);
  }

  post(input: NewMessage): Message {
    const ts = this.ts.next();
    const bot = input.user === this.botUserId;
    const message: Message = {
      ts,
      channel: input.channel,
      user: input.user,
      text: input.text,
      ...(input.blocks ? { blocks: withBlockIds(input.blocks) } : {}),
      ...definedProps({ attachments: input.attachments, files: input.files, metadata: input.metadata }),
      ...(bot ? { bot_id: this.workspace.bot.bot_id, app_id: this.workspace.bot.app_id } : {}),
    };
    if (input.thread_ts) {
      const parent = this.message(input.channel, input.thread_ts);
      if (parent) {
        message.thread_ts = parent.ts;
        if (input.reply_broadcast) message.subtype = 'thread_broadcast';
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        parent.reply_users = [...new Set([...(parent.reply_users ?? []), input.user])];
        parent.latest_reply = ts;
      }
    }
    this.list(input.channel).push(message);
    this.announce({
      type: 'message',
      channel: input.channel,
      ts,
      ...presentProps({ thread_ts: message.thread_ts }),
    });
    return message;
  }

  /** A person's message: they must exist and belong to the channel; a reply needs its parent. */
  postAsUser(o: UserMessage): Message {
    const channel = this.channel(o.channel) ?? this.channelByName(o.channel);
    if (!channel) throw new Error(`no channel ${o.channel} in the emulated workspace`);
    if (!this.user(o.user)) throw new Error(`no user ${o.user} in the emulated workspace`);
    if (!this.isMember(channel, o.user)) throw new Error(`${o.user} is not a member of ${channel.id}`);
    if (o.threadTs && !this.message(channel.id, o.threadTs))
      throw new Error(`no message ${o.threadTs} in ${channel.id} to reply to`);
    return this.post({
      channel: channel.id,
      user: o.user,
      text: o.text,
      ...definedProps({ blocks: o.blocks }),
      ...presentProps({ thread_ts: o.threadTs }),
    });
  }

  update(message: Message, patch: MessagePatch, editor: string): Message {
    if (patch.text !== undefined) message.text = patch.text;
    if (patch.blocks !== undefined) message.blocks = withBlockIds(patch.blocks);
    if (patch.attachments !== undefined) message.attachments = patch.attachments;
    message.edited = { user: editor, ts: this.ts.next() };
    this.announce({ type: 'message_changed', channel: message.channel, ts: message.ts });
    return message;
  }

  remove(message: Message): void {
    const list = this.list(message.channel);
    const index = list.indexOf(message);
    if (index >= 0) list.splice(index, 1);
    if (isReply(message) && message.thread_ts) {
      const parent = this.message(message.channel, message.thread_ts);
      if (parent) {
        const replies = this.thread(message.channel, parent.ts);
        parent.reply_count = replies.length;
        parent.reply_users = [...new Set(replies.map((r) => r.user))];
        parent.latest_reply = replies.at(-1)?.ts ?? parent.ts;
      }
    }
    this.announce({ type: 'message_deleted', channel: message.channel, ts: message.ts });
  }
}

export function isReply(message: Message): boolean {
  return message.thread_ts !== undefined && message.thread_ts !== message.ts;
}
