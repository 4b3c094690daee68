import type { WebClient } from '@slack/web-api';
import type { ChannelHome, IncidentSnapshot, SlackPort, ThreadPost, UserInfo } from '../app/ports.js';
import type { Logger } from '../log.js';
import { isPlatformError, isUnreadableChannel, joiningIfNeeded, slackError } from '../slackApi/errors.js';
import { RateLimitGate } from './rateLimits.js';
import { incidentMessage } from './views/incidentMessage.js';
import { threadMessage } from './views/thread.js';
import { presentProps } from '../domain/defined.js';

const LIVE_MESSAGE_EVENT = 'incidentbot_live_message';

interface ListedChannel {
  id?: string;
  name?: string;
  creator?: string;
  is_archived?: boolean;
  purpose?: { value?: string };
}

/**
 * The use cases' view of Slack, over @slack/web-api. The client is built with
 * `rejectRateLimitedCalls` (a 429 is thrown, never a pause of its whole
 * queue); rate limits are kept here per method, and per channel for posts
 * (rateLimits.ts), so a 429 holds only the calls that need what it limits.
 * This also adds the small recoveries a real workspace needs: joining a public
 * channel before posting, adopting the channel an earlier attempt created.
 */
export interface PortOptions {
  /** Milliseconds now, from the injected clock (rate limits are kept in its time). */
  now?: () => number;
  /**
   * The longest a call waits out a rate limit on its method (and channel) before it is tried; a longer Retry-After
   * is thrown (durable work reschedules itself). 0: never wait.
   */
  maxRateLimitWaitMs?: number;
}

export class SlackWebPort implements SlackPort {
  private users?: { at: number; byName: Map<string, string> };
  private botUser?: Promise<string | undefined>;

  private readonly limits: RateLimitGate;

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    options: PortOptions = {},
  ) {
    this.limits = new RateLimitGate(options.now ?? Date.now, options.maxRateLimitWaitMs ?? 5_000);
  }

  async createIncidentChannel(home: ChannelHome): Promise<{ channelId: string; name: string; adopted: boolean }> {
    const purpose = `${home.key} · ${home.title}`.slice(0, 200) + ` (incident-bot ${home.marker})`;
    for (let attempt = 1; ; attempt++) {
      const candidate = attempt === 1 ? home.name : `${home.name.slice(0, 76)}-${attempt}`;
      try {
        await home.asking?.(candidate);
        const created = await this.limits.call('conversations.create', undefined, () =>
          this.client.conversations.create({ name: candidate }),
        );
        const channelId = created.channel!.id!;
        await this.client.conversations.setPurpose({ channel: channelId, purpose });
        return { channelId, name: candidate, adopted: false };
      } catch (error) {
        if (slackError(error) !== 'name_taken' || attempt >= 10) throw error;
        const taken = await this.channelNamed(candidate);
        if (!taken?.id || !(await this.isOurs(taken, home.marker, home.askedBefore === candidate))) continue;
        // An earlier attempt created it and its answer was lost (or we crashed before recording it): ours.
        if (!taken.purpose?.value?.includes(home.marker))
          await this.client.conversations.setPurpose({ channel: taken.id, purpose });
        this.log.info(
          { channel: taken.id, name: candidate },
          'adopted the incident channel an earlier attempt created',
        );
        return { channelId: taken.id, name: candidate, adopted: true };
      }
    }
  }

  async invite(channelId: string, users: string[]): Promise<{ problems: string[] }> {
    const people = users.filter((user) => user !== 'system');
    if (people.length === 0) return { problems: [] };
    try {
      await this.limits.call('conversations.invite', undefined, () =>
        this.client.conversations.invite({ channel: channelId, users: people.join(','), force: true }),
      );
      return { problems: [] };
    } catch (error) {
      const code = slackError(error);
      if (code === 'already_in_channel' || code === 'cant_invite_self') return { problems: [] };
      if (isPlatformError(error)) return { problems: [code ?? 'error'] };
      throw error;
    }
  }

  async postIncidentMessage(
    channelId: string,
    snapshot: IncidentSnapshot,
    options?: { key: string; lookFirst: boolean },
  ): Promise<{ ts: string; reused?: boolean }> {
    if (options?.lookFirst) {
      const found = await this.findLiveMessage(channelId, options.key);
      if (found) return { ts: found, reused: true };
    }
    const message = incidentMessage(snapshot);
    const metadata = options
      ? { metadata: { event_type: LIVE_MESSAGE_EVENT, event_payload: { key: options.key } } }
      : {};
    const result = await this.inChannel(channelId, () =>
      this.client.chat.postMessage({ channel: channelId, ...message, unfurl_links: false, ...metadata }),
    );
    return { ts: result.ts! };
  }

  /** The live message an earlier attempt posted, found by the key in its metadata. */
  private async findLiveMessage(channelId: string, key: string): Promise<string | undefined> {
    try {
      const page = await this.client.conversations.history({
        channel: channelId,
        include_all_metadata: true,
        limit: 100,
      });
      return (page.messages ?? []).find((m) => {
        const metadata = (m as { metadata?: { event_type?: string; event_payload?: { key?: string } } }).metadata;
        return metadata?.event_type === LIVE_MESSAGE_EVENT && metadata.event_payload?.key === key;
      })?.ts;
    } catch (error) {
      if (isUnreadableChannel(error)) return undefined;
      throw error;
    }
  }

  private async channelNamed(name: string): Promise<ListedChannel | undefined> {
    for await (const page of this.client.paginate('conversations.list', {
      types: 'public_channel,private_channel',
      exclude_archived: true,
      limit: 1000,
    })) {
      const found = ((page as { channels?: ListedChannel[] }).channels ?? []).find((c) => c.name === name);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * Ours: its purpose carries our marker; or an earlier attempt asked for this very name and never heard back
   * (`askedForIt`), this bot created it, and nothing has been said in its purpose yet. An unmarked channel under
   * a name this incident never asked for (left from before a database reset) is someone else's.
   */
  private async isOurs(channel: ListedChannel, marker: string, askedForIt: boolean): Promise<boolean> {
    if (channel.is_archived) return false;
    if (channel.purpose?.value?.includes(marker)) return true;
    if (!askedForIt) return false;
    // Not knowing who the bot is (auth.test failing) is not "someone else's": that would move on to a `-2` and
    // orphan the channel an earlier attempt made. It throws, and the place work tries again.
    this.botUser ??= this.client.auth.test().then((who) => who.user_id);
    const me = await this.botUser.catch((error: unknown) => {
      this.botUser = undefined;
      throw error;
    });
    if (!me) {
      this.botUser = undefined;
      throw new Error('auth.test did not say who the bot is');
    }
    return channel.creator === me && !channel.purpose?.value;
  }

  async updateIncidentMessage(channelId: string, ts: string, snapshot: IncidentSnapshot): Promise<void> {
    await this.limits.call('chat.update', channelId, () =>
      this.client.chat.update({ channel: channelId, ts, ...incidentMessage(snapshot) }),
    );
  }

  async postInThread(channelId: string, threadTs: string, post: ThreadPost): Promise<{ ts: string }> {
    const message = threadMessage(post);
    const result = await this.inChannel(channelId, () =>
      this.client.chat.postMessage({ channel: channelId, thread_ts: threadTs, ...message, unfurl_links: false }),
    );
    return { ts: result.ts! };
  }

  async postInChannel(channelId: string, post: ThreadPost): Promise<{ ts: string }> {
    const result = await this.inChannel(channelId, () =>
      this.client.chat.postMessage({ channel: channelId, ...threadMessage(post), unfurl_links: false }),
    );
    return { ts: result.ts! };
  }

  async updateInThread(channelId: string, ts: string, post: ThreadPost): Promise<void> {
    await this.limits.call('chat.update', channelId, () =>
      this.client.chat.update({ channel: channelId, ts, ...threadMessage(post) }),
    );
  }

  async channelMembers(channelId: string): Promise<string[]> {
    const members: string[] = [];
    for await (const page of this.client.paginate('conversations.members', { channel: channelId, limit: 1000 })) {
      members.push(...((page as { members?: string[] }).members ?? []));
    }
    return members;
  }

  async usergroupMembers(usergroup: string): Promise<string[]> {
    const result = await this.limits.call('usergroups.users.list', undefined, () =>
      this.client.usergroups.users.list({ usergroup }),
    );
    return result.users ?? [];
  }

  async pin(channelId: string, ts: string): Promise<{ problem?: string }> {
    try {
      await this.limits.call('pins.add', undefined, () => this.client.pins.add({ channel: channelId, timestamp: ts }));
      return {};
    } catch (error) {
      if (slackError(error) === 'already_pinned') return {};
      if (isPlatformError(error)) return { problem: slackError(error) ?? 'error' };
      throw error;
    }
  }

  async userInfo(user: string): Promise<UserInfo> {
    try {
      const result = await this.limits.call('users.info', undefined, () => this.client.users.info({ user }));
      const name = result.user?.real_name ?? result.user?.name;
      return {
        ...presentProps({ name, tz: result.user?.tz }),
        ...(result.user?.deleted ? { missing: 'deactivated' as const } : {}),
      };
    } catch (error) {
      if (slackError(error) === 'user_not_found') return { missing: 'not_found' };
      // The answer uses the schedule's own zone and the user's id instead: not worth a failure.
      if (isPlatformError(error)) return {};
      throw error;
    }
  }

  async setUsergroupMembers(usergroup: string, users: string[]): Promise<void> {
    await this.limits.call('usergroups.users.update', undefined, () =>
      this.client.usergroups.users.update({ usergroup, users: users.join(',') }),
    );
  }

  async findUser(handle: string): Promise<string | undefined> {
    if (!this.users || Date.now() - this.users.at > 5 * 60_000) {
      const byName = new Map<string, string>();
      for await (const page of this.client.paginate('users.list', { limit: 200 })) {
        for (const member of (page as { members?: Array<{ id?: string; name?: string; deleted?: boolean }> }).members ??
          []) {
          if (member.id && member.name && !member.deleted) byName.set(member.name.toLowerCase(), member.id);
        }
      }
      this.users = { at: Date.now(), byName };
    }
    return this.users.byName.get(handle.toLowerCase());
  }

  async uploadFile(
    channelId: string,
    threadTs: string,
    filename: string,
    title: string,
    content: string,
  ): Promise<void> {
    await this.limits.call('files.uploadV2', undefined, () =>
      this.client.filesUploadV2({ channel_id: channelId, thread_ts: threadTs, filename, title, content }),
    );
  }

  /** Posts, joining the channel first if Slack says the bot is not in it (public channels only). */
  private async inChannel<T>(channelId: string, call: () => Promise<T>): Promise<T> {
    const post = () => this.limits.call('chat.postMessage', channelId, call);
    return joiningIfNeeded(post, () => {
      this.log.info({ channelId }, 'joining the channel to post in it');
      return this.limits.call('conversations.join', undefined, () =>
        this.client.conversations.join({ channel: channelId }),
      );
    });
  }
}
