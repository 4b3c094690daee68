import { checkContent, contentErrorBody } from './content.js';
import { randomHex } from './ids.js';
import { definedProps, presentProps } from '../../domain/defined.js';
import type { Block, EphemeralSource } from './state.js';
import type { WorkspaceStore } from './store.js';

/** Slack: a response_url works up to 5 times within 30 minutes. */
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;
export const RESPONSE_URL_MAX_USES = 5;

/** Where an answer to an inbound request lands. */
export interface ResponseTarget {
  channel: string;
  user: string;
  /** The message an interaction happened on: replace_original / delete_original act on it. */
  message?: { ts: string; ephemeral: boolean };
  /** The thread the interaction happened in. */
  threadTs?: string;
}

interface Issued {
  target: ResponseTarget;
  interaction: boolean;
  expiresAt: number;
  uses: number;
}

export interface Delivery {
  status: number;
  body: Record<string, unknown>;
}

const truthy = (value: unknown) => value === true || value === 'true';

/**
 * Response URLs (`${base}/emulator/response/<id>`) and the ack bodies of
 * slash commands, both answered as Slack shows them: ephemeral by default,
 * `in_channel` as a message from the app, replace/delete acting on the
 * original message.
 */
export class ResponseUrls {
  private readonly issued = new Map<string, Issued>();

  constructor(
    private readonly store: WorkspaceStore,
    private readonly baseUrl: () => string,
  ) {}

  issue(target: ResponseTarget): string {
    const id = `${Date.now().toString(36)}${randomHex(12)}`;
    this.issued.set(id, {
      target,
      interaction: target.message !== undefined,
      expiresAt: this.store.now().getTime() + RESPONSE_URL_TTL_MS,
      uses: 0,
    });
    return `${this.baseUrl()}/emulator/response/${id}`;
  }

  /** A command's ack body was shown: a later replace_original / delete_original on its URL acts on it. */
  remember(url: string, posted: { ts: string; ephemeral: boolean }): void {
    const issued = this.issued.get(url.slice(url.lastIndexOf('/') + 1));
    if (issued && !issued.interaction) issued.target = { ...issued.target, message: posted };
  }

  /** A POST to a response URL. */
  respond(id: string, body: unknown): Delivery {
    const issued = this.issued.get(id);
    if (!issued || this.store.now().getTime() > issued.expiresAt)
      return { status: 404, body: { ok: false, error: 'expired_url' } };
    if (issued.uses >= RESPONSE_URL_MAX_USES) return { status: 404, body: { ok: false, error: 'used_url' } };
    issued.uses += 1;
    const delivery = this.deliver(issued.target, body, 'response_url');
    // An interaction's URL always acts on the message interacted with; a command's on what it last showed.
    if (delivery.posted && !issued.interaction) issued.target = { ...issued.target, message: delivery.posted };
    return delivery;
  }

  /** Shows a payload to the user the way Slack shows it; `posted` is what a later replace_original acts on. */
  deliver(
    target: ResponseTarget,
    payload: unknown,
    source: EphemeralSource,
  ): Delivery & { posted?: { ts: string; ephemeral: boolean } } {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
      return { status: 400, body: { ok: false, error: 'invalid_payload' } };
    const p = payload as Record<string, unknown>;
    const original = target.message;
    if (truthy(p.delete_original)) {
      if (!original || !this.remove(target.channel, original))
        return { status: 404, body: { ok: false, error: 'message_not_found' } };
      return { status: 200, body: { ok: true } };
    }
    const check = checkContent(p);
    if (!check.ok) return { status: 400, body: contentErrorBody(check) };
    const { text, blocks } = check;
    if (
      truthy(p.replace_original) &&
      original &&
      this.replace(target.channel, original, { text, ...definedProps({ blocks }) })
    ) {
      return { status: 200, body: { ok: true } };
    }
    const threadTs = typeof p.thread_ts === 'string' ? p.thread_ts : target.threadTs;
    if (p.response_type === 'in_channel') {
      const message = this.store.post({
        channel: target.channel,
        user: this.store.botUserId,
        text,
        ...definedProps({ blocks }),
        ...presentProps({ thread_ts: threadTs }),
      });
      return { status: 200, body: { ok: true }, posted: { ts: message.ts, ephemeral: false } };
    }
    const ephemeral = this.store.addEphemeral({
      channel: target.channel,
      user: target.user,
      text,
      ...definedProps({ blocks }),
      ...presentProps({ thread_ts: threadTs }),
      source,
    });
    return { status: 200, body: { ok: true }, posted: { ts: ephemeral.ts, ephemeral: true } };
  }

  private remove(channel: string, original: { ts: string; ephemeral: boolean }): boolean {
    if (original.ephemeral) {
      const ephemeral = this.store.ephemeral(original.ts);
      if (ephemeral) this.store.removeEphemeral(ephemeral);
      return ephemeral !== undefined;
    }
    const message = this.store.message(channel, original.ts);
    if (message) this.store.remove(message);
    return message !== undefined;
  }

  private replace(
    channel: string,
    original: { ts: string; ephemeral: boolean },
    patch: { text: string; blocks?: Block[] },
  ): boolean {
    if (original.ephemeral) {
      const ephemeral = this.store.ephemeral(original.ts);
      if (ephemeral) this.store.replaceEphemeral(ephemeral, patch);
      return ephemeral !== undefined;
    }
    const message = this.store.message(channel, original.ts);
    if (message) this.store.update(message, { text: patch.text, blocks: patch.blocks ?? [] }, this.store.botUserId);
    return message !== undefined;
  }
}
