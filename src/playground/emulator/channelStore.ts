import { TsClock, slackId } from './ids.js';
import type { Channel, ChannelKind, EmulatorChange, User, Workspace } from './state.js';
import { presentProps } from '../../domain/defined.js';

/**
 * The workspace's first layer: its clock of message timestamps, its people and its channels (DMs included).
 * MessageStore (messageStore.ts) and WorkspaceStore (store.ts) build on it; every change is announced.
 */
export class ChannelStore {
  readonly ts: TsClock;

  constructor(
    readonly workspace: Workspace,
    readonly now: () => Date,
    protected readonly announce: (change: EmulatorChange) => void,
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
      ...presentProps({ im_user: o.im_user }),
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

  /** For changes made in place elsewhere (views, files). */
  changed(change: EmulatorChange): void {
    this.announce(change);
  }
}
