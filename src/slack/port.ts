import type { WebClient } from '@slack/web-api';
import type { IncidentSnapshot, SlackPort, ThreadPost } from '../app/ports.js';
import type { Logger } from '../log.js';
import { RateLimitGate } from './rateLimits.js';
import { incidentMessage } from './views/incidentMessage.js';
import { threadMessage } from './views/thread.js';

/** The Slack error code of a failed Web API call (`not_in_channel`, `name_taken`, …). */
export function slackError(error: unknown): string | undefined {
  return (error as { data?: { error?: string } } | undefined)?.data?.error;
}

export interface PortOptions {
  /** Milliseconds now, from the injected clock (rate limits are kept in its time). */
  now?: () => number;
  /**
   * The longest a call waits out a rate limit on its method (and channel) before it is tried; a longer Retry-After
   * is thrown (durable work reschedules itself). 0: never wait.
   */
  maxRateLimitWaitMs?: number;
}

/**
 * The use cases' view of Slack, over @slack/web-api. The client is built with
 * `rejectRateLimitedCalls` (a 429 is thrown, never a pause of its whole
 * queue); rate limits are kept here per method, and per channel for posts
 * (rateLimits.ts), so a 429 holds only the calls that need what it limits.
 * This also adds the small recoveries a real workspace needs: joining a public
 * channel before posting, another name when a channel name is taken.
 */
export class SlackWebPort implements SlackPort {
  private users?: { at: number; byName: Map<string, string> };
  private readonly limits: RateLimitGate;

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    options: PortOptions = {},
  ) {
    this.limits = new RateLimitGate(options.now ?? Date.now, options.maxRateLimitWaitMs ?? 5_000);
  }

  async createChannel(name: string, invite: string[]): Promise<{ channelId: string; name: string }> {
    for (let attempt = 1; ; attempt++) {
      const candidate = attempt === 1 ? name : `${name.slice(0, 76)}-${attempt}`;
      try {
        const created = await this.limits.call('conversations.create', undefined, () =>
          this.client.conversations.create({ name: candidate }),
        );
        const channelId = created.channel!.id!;
        const people = invite.filter((user) => user !== 'system');
        if (people.length > 0) {
          await this.limits
            .call('conversations.invite', undefined, () =>
              this.client.conversations.invite({ channel: channelId, users: people.join(',') }),
            )
            .catch((error: unknown) => {
              if (slackError(error) !== 'already_in_channel' && slackError(error) !== 'cant_invite_self') throw error;
            });
        }
        return { channelId, name: candidate };
      } catch (error) {
        if (slackError(error) !== 'name_taken' || attempt >= 10) throw error;
      }
    }
  }

  async postIncidentMessage(channelId: string, snapshot: IncidentSnapshot): Promise<{ ts: string }> {
    const message = incidentMessage(snapshot);
    const result = await this.inChannel(channelId, () =>
      this.client.chat.postMessage({ channel: channelId, ...message, unfurl_links: false }),
    );
    return { ts: result.ts! };
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

  async usergroupMembers(usergroup: string): Promise<string[]> {
    const result = await this.limits.call('usergroups.users.list', undefined, () =>
      this.client.usergroups.users.list({ usergroup }),
    );
    return result.users ?? [];
  }

  async pin(channelId: string, ts: string): Promise<void> {
    await this.limits
      .call('pins.add', undefined, () => this.client.pins.add({ channel: channelId, timestamp: ts }))
      .catch((error: unknown) => {
        if (slackError(error) !== 'already_pinned') throw error;
      });
  }

  async findUser(handle: string): Promise<string | undefined> {
    if (!this.users || Date.now() - this.users.at > 5 * 60_000) {
      const byName = new Map<string, string>();
      await this.limits.call('users.list', undefined, async () => {
        for await (const page of this.client.paginate('users.list', { limit: 200 })) {
          const members = (page as { members?: Array<{ id?: string; name?: string; deleted?: boolean }> }).members;
          for (const member of members ?? []) {
            if (member.id && member.name && !member.deleted) byName.set(member.name.toLowerCase(), member.id);
          }
        }
      });
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
    try {
      return await post();
    } catch (error) {
      if (slackError(error) !== 'not_in_channel') throw error;
      this.log.info({ channelId }, 'joining the channel to post in it');
      await this.limits.call('conversations.join', undefined, () =>
        this.client.conversations.join({ channel: channelId }),
      );
      return post();
    }
  }
}
