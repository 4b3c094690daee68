/**
 * The emulated workspace: everything the emulator knows, as plain JSON so it
 * can be persisted and reloaded. Shapes follow Slack's where Slack has one;
 * `Channel.kind` and `StoredView.open` are the emulator's own bookkeeping.
 */

/** A Block Kit block as sent by the bot: checked by `validateBlocks`, stored as given. */
export type Block = { type: string; block_id?: string } & Record<string, unknown>;

/** A block's interactive elements: its `elements` (actions, context) and its accessory (section). */
export function elementsOf(block: Block): Record<string, unknown>[] {
  const elements: unknown[] = Array.isArray(block.elements) ? (block.elements as unknown[]) : [];
  const all = block.accessory ? [...elements, block.accessory] : elements;
  return all.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null);
}

export interface Team {
  id: string;
  domain: string;
  name: string;
}

export interface BotIdentity {
  user_id: string;
  bot_id: string;
  app_id: string;
  name: string;
}

export interface User {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  is_bot: boolean;
  deleted: boolean;
  tz: string;
  profile: { real_name: string; display_name: string; title: string; email?: string; bot_id?: string };
}

export interface Usergroup {
  id: string;
  team_id: string;
  handle: string;
  name: string;
  description: string;
  users: string[];
  created_by: string;
  date_create: number;
}

export type ChannelKind = 'public' | 'private' | 'im' | 'mpim';

export interface Channel {
  id: string;
  name: string;
  kind: ChannelKind;
  /** Unix seconds. */
  created: number;
  creator: string;
  members: string[];
  topic: string;
  purpose: string;
  is_archived: boolean;
  /** Message ts values pinned in this channel, oldest pin first. */
  pins: string[];
  /** For a DM: the human on the other side of the bot. */
  im_user?: string;
}

/** A file as it appears inside a message. URLs are added when answering, from the current base URL. */
export interface FileRef {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  size: number;
}

export interface Message {
  ts: string;
  channel: string;
  /** The author; the bot user id for the bot's posts. */
  user: string;
  text: string;
  blocks?: Block[];
  attachments?: unknown[];
  /** Set on replies (the parent's ts) and on a parent once it has replies (its own ts). */
  thread_ts?: string;
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  edited?: { user: string; ts: string };
  files?: FileRef[];
  bot_id?: string;
  app_id?: string;
  /** e.g. `thread_broadcast` for a reply also shown in the channel. */
  subtype?: string;
  metadata?: unknown;
}

export type EphemeralSource = 'chat.postEphemeral' | 'response_url' | 'ack';

/** Seen by one user only; never in history. */
export interface EphemeralMessage {
  /** The `message_ts` Slack gives an ephemeral; interactions on it carry this ts. */
  ts: string;
  channel: string;
  user: string;
  text: string;
  blocks?: Block[];
  thread_ts?: string;
  source: EphemeralSource;
  /** ISO time it was shown. */
  at: string;
}

export interface StoredFile extends FileRef {
  user: string;
  /** Unix seconds. */
  created: number;
  /** The bytes, base64: set once the upload URL received them. */
  content_base64?: string;
  /** Declared length from files.getUploadURLExternal. */
  declared_length: number;
  completed: boolean;
  alt_txt?: string;
  snippet_type?: string;
  /** Channels it was shared into by files.completeUploadExternal. */
  channels: string[];
}

/** A Slack view object as views.* answer it (id, type, title, blocks, state, hash...). */
export type ViewObject = { id: string; type: string; hash: string; blocks: Block[] } & Record<string, unknown>;

export interface StoredView {
  id: string;
  /** Whose screen it is on. */
  user: string;
  open: boolean;
  view: ViewObject;
  /** The last `response_action: errors` the bot answered a submission with. */
  errors?: Record<string, string>;
}

export interface Workspace {
  version: 1;
  team: Team;
  bot: BotIdentity;
  users: User[];
  usergroups: Usergroup[];
  channels: Channel[];
  /** Per channel id, every message including thread replies, in ts order. */
  messages: Record<string, Message[]>;
  ephemerals: EphemeralMessage[];
  files: StoredFile[];
  views: StoredView[];
}

/** One Web API call as the emulator received and answered it. */
export interface RecordedCall {
  method: string;
  /**
   * Decoded params; `blocks`, `attachments`, `view`, `files` and `metadata` parsed from JSON. The token is not
   * among them.
   */
  params: Record<string, unknown>;
  token: string | undefined;
  at: Date;
  status: number;
  response: Record<string, unknown>;
}

/** What the emulator tells listeners (and the playground page over SSE) whenever state changes. */
export interface EmulatorChange {
  type:
    | 'message'
    | 'message_changed'
    | 'message_deleted'
    | 'ephemeral'
    | 'ephemeral_deleted'
    | 'channel_created'
    | 'channel_changed'
    | 'member_joined'
    | 'pin_added'
    | 'view_opened'
    | 'view_updated'
    | 'view_closed'
    | 'file_uploaded'
    | 'file_shared';
  channel?: string;
  ts?: string;
  thread_ts?: string;
  user?: string;
  id?: string;
}
