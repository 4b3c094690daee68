import type { WebClient } from '@slack/web-api';
import { isUnreadableChannel, joiningIfNeeded } from '../slackApi/errors.js';
import { presentProps } from '../domain/defined.js';

export interface OutgoingMessage {
  text: string;
  blocks: unknown[];
}

export interface Delivery {
  /** A channel id, or a user id for a direct message. */
  to: string;
  threadTs?: string;
  message: OutgoingMessage;
  /** Identifies this delivery. A retry finds it in Slack instead of posting it twice. */
  key: string;
}

export interface Delivered {
  channel: string;
  ts: string;
  /** True when a previous attempt had already posted it (its answer was lost). */
  reused: boolean;
}

const EVENT_TYPE = 'incidentbot_delivery';

/**
 * Posts a message the bot sends on its own (a page, a stakeholder update, a
 * reminder) exactly once. Each message carries its key in Slack message
 * metadata; when an attempt is retried, the destination is searched for the
 * key first, so a post whose answer was lost is not posted again.
 */
export async function deliver(
  client: WebClient,
  delivery: Delivery,
  options: { retried: boolean },
): Promise<Delivered> {
  const channel = /^[UW]/.test(delivery.to) ? await openDirectMessage(client, delivery.to) : delivery.to;
  if (options.retried) {
    const existing = await findDelivered(client, channel, delivery.threadTs, delivery.key);
    if (existing) return { channel, ts: existing, reused: true };
  }
  const post = () =>
    client.chat.postMessage({
      channel,
      ...presentProps({ thread_ts: delivery.threadTs }),
      text: delivery.message.text,
      blocks: delivery.message.blocks as never,
      unfurl_links: false,
      metadata: { event_type: EVENT_TYPE, event_payload: { key: delivery.key } },
    });
  const result = await joiningIfNeeded(post, () => client.conversations.join({ channel }));
  return { channel, ts: result.ts!, reused: false };
}

/** A person's DM channel with the bot never changes: asked once per client. */
const directMessages = new WeakMap<WebClient, Map<string, string>>();

async function openDirectMessage(client: WebClient, user: string): Promise<string> {
  const known = directMessages.get(client) ?? new Map<string, string>();
  directMessages.set(client, known);
  const cached = known.get(user);
  if (cached) return cached;
  const opened = await client.conversations.open({ users: user });
  known.set(user, opened.channel!.id!);
  return opened.channel!.id!;
}

async function findDelivered(
  client: WebClient,
  channel: string,
  threadTs: string | undefined,
  key: string,
): Promise<string | undefined> {
  try {
    const page = threadTs
      ? await client.conversations.replies({ channel, ts: threadTs, include_all_metadata: true, limit: 200 })
      : await client.conversations.history({ channel, include_all_metadata: true, limit: 100 });
    const found = (page.messages ?? []).find((m) => {
      const metadata = (m as { metadata?: { event_type?: string; event_payload?: { key?: string } } }).metadata;
      return metadata?.event_type === EVENT_TYPE && metadata.event_payload?.key === key;
    });
    return found?.ts;
  } catch (error) {
    // A channel the bot cannot read yet (not joined): nothing of ours is in it.
    if (isUnreadableChannel(error)) return undefined;
    throw error;
  }
}
