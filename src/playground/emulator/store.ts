import { TsClock, slackId, withBlockIds } from './ids.js';
import type {
  Block,
  Channel,
  ChannelKind,
  EmulatorChange,
  EphemeralMessage,
  EphemeralSource,
  FileRef,
  Message,
  User,
  Workspace,
} from './state.js';

export interface NewMessage {
  channel: string;
  user: string;
  text: string;
  blocks?: Block[];
  attachments?: unknown[];
  thread_ts?: string;
  reply_broadcast?: boolean;
  files?: FileRef[];
  metadata?: unknown;
}

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

/**
 * Reads and changes the workspace. Every change goes through here, so every
 * change is announced (and, with a data dir, persisted).
 */
export class WorkspaceStore {
  readonly ts: TsClock;

  constructor(
    readonly workspace: Workspace,
    readonly now: () => Date,
    private readonly announce: (change: EmulatorChange) => void,
  ) {
    this.ts = new TsClock(now);
    for (const list of Object.values(workspace.messages)) for (const m of list) this.ts.observe(m.edited?.ts ?? m.ts);
    for (const e of workspace.ephemerals) this.ts.observe(e.ts);
  }

  get botUserId(): string {
    return this.workspace.bot.user_id;
  }

  nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  // --- people -------------------------------------------------------------

  user(id: string): User | undefined {
    return this.workspace.users.find((u) => u.id === id);
  }

  // --- channels -----------------------------------------------------------

  channel(id: string): Channel | undefined {
    return this.workspace.channels.find((c) => c.id === id);
  }

  channelByName(name: string): Channel | undefined {
    const bare = name.replace(/^#/, '');
    return this.workspace.channels.find((c) => (c.kind === 'public' || c.kind === 'private') && c.name === bare);
  }

  /** What `channel` arguments accept: an id, a `#name`, or a user id (the bot's DM with that user). */
  resolveChannel(ref: string): Channel | undefined {
    if (/^[UW][A-Z0-9]+$/.test(ref)) return this.user(ref) && !this.user(ref)?.is_bot ? this.openIm(ref) : undefined;
    return this.channel(ref) ?? this.channelByName(ref);
  }

  isMember(channel: Channel, user: string): boolean {
    return channel.members.includes(user);
  }

  /** The bot's DM with a user, created on first use. */
  openIm(user: string): Channel {
    const existing = this.workspace.channels.find((c) => c.kind === 'im' && c.im_user === user);
    if (existing) return existing;
    return this.addChannel({ prefix: 'D', kind: 'im', name: user, members: [this.botUserId, user], im_user: user });
  }

  addChannel(o: { prefix: string; kind: ChannelKind; name: string; members: string[]; im_user?: string }): Channel {
    const id = slackId(o.prefix, 9, (candidate) => this.channel(candidate) !== undefined);
    const channel: Channel = {
      id,
      name: o.kind === 'im' ? id : o.name,
      kind: o.kind,
      created: this.nowSeconds(),
      creator: this.botUserId,
      members: [...new Set(o.members)],
      topic: '',
      purpose: '',
      is_archived: false,
      pins: [],
      ...(o.im_user ? { im_user: o.im_user } : {}),
    };
    this.workspace.channels.push(channel);
    this.workspace.messages[id] = [];
    this.announce({ type: 'channel_created', channel: id });
    return channel;
  }

  join(channel: Channel, user: string): boolean {
    if (channel.members.includes(user)) return false;
    channel.members.push(user);
    this.announce({ type: 'member_joined', channel: channel.id, user });
    return true;
  }

  pin(channel: Channel, ts: string): void {
    channel.pins.push(ts);
    this.announce({ type: 'pin_added', channel: channel.id, ts });
  }

  // --- messages -----------------------------------------------------------

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
      ...(input.attachments ? { attachments: input.attachments } : {}),
      ...(input.files ? { files: input.files } : {}),
      ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
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
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
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
      ...(o.blocks ? { blocks: o.blocks } : {}),
      ...(o.threadTs ? { thread_ts: o.threadTs } : {}),
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

  // --- ephemerals ---------------------------------------------------------

  addEphemeral(o: {
    channel: string;
    user: string;
    text: string;
    blocks?: Block[];
    thread_ts?: string;
    source: EphemeralSource;
  }): EphemeralMessage {
    const ephemeral: EphemeralMessage = {
      ts: this.ts.next(),
      channel: o.channel,
      user: o.user,
      text: o.text,
      ...(o.blocks ? { blocks: withBlockIds(o.blocks) } : {}),
      ...(o.thread_ts ? { thread_ts: o.thread_ts } : {}),
      source: o.source,
      at: this.now().toISOString(),
    };
    this.workspace.ephemerals.push(ephemeral);
    this.announce({ type: 'ephemeral', channel: o.channel, user: o.user, ts: ephemeral.ts });
    return ephemeral;
  }

  ephemeral(ts: string): EphemeralMessage | undefined {
    return this.workspace.ephemerals.find((e) => e.ts === ts);
  }

  replaceEphemeral(ephemeral: EphemeralMessage, patch: { text: string; blocks?: Block[] }): void {
    ephemeral.text = patch.text;
    if (patch.blocks) ephemeral.blocks = withBlockIds(patch.blocks);
    else delete ephemeral.blocks;
    this.announce({ type: 'ephemeral', channel: ephemeral.channel, user: ephemeral.user, ts: ephemeral.ts });
  }

  removeEphemeral(ephemeral: EphemeralMessage): void {
    const index = this.workspace.ephemerals.indexOf(ephemeral);
    if (index >= 0) this.workspace.ephemerals.splice(index, 1);
    this.announce({ type: 'ephemeral_deleted', channel: ephemeral.channel, user: ephemeral.user, ts: ephemeral.ts });
  }

  /** For changes made in place elsewhere (views, files). */
  changed(change: EmulatorChange): void {
    this.announce(change);
  }
}

export function isReply(message: Message): boolean {
  return message.thread_ts !== undefined && message.thread_ts !== message.ts;
}
