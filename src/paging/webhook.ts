import type { PagingConfig } from '../config/paging.js';
import { providerRequest } from './http.js';
import type { PageContent, PersonChannel, Recipient } from './port.js';
import { type RetryOptions, sendWithRetries } from './retry.js';
import { webhookSignature } from './signatures.js';
import { definedProps, presentProps } from '../domain/defined.js';

type WebhookConfig = NonNullable<PagingConfig['webhook']>;

/** The generic webhook's body (README, "Paging"): versioned, only added to. */
export interface WebhookPayload {
  version: 1;
  type: 'page' | 'test';
  /** The same for every try of one page: a receiver drops repeats by it. */
  id: string;
  person: string;
  incident: { key: string; title: string; summary: string; severity: string; level?: number; level_name?: string };
  link?: string;
}

export function webhookPayload(to: Recipient, page: PageContent, id: string): WebhookPayload {
  return {
    version: 1,
    type: page.test ? 'test' : 'page',
    id,
    person: to.user,
    incident: {
      key: page.key,
      title: page.title,
      summary: page.summary,
      severity: page.severity,
      ...definedProps({ level: page.level }),
      ...presentProps({ level_name: page.levelName }),
    },
    ...presentProps({ link: page.link }),
  };
}

/**
 * A signed JSON POST for anything else (ntfy, Gotify, a chat's incoming webhook behind a small relay). The id in
 * the body and the `Idempotency-Key` header let a receiver drop a repeat, so a lost answer is tried again.
 */
export function webhookChannel(
  config: WebhookConfig,
  now: () => Date,
  retry: Omit<RetryOptions, 'idempotent'> = {},
): PersonChannel {
  return {
    via: 'webhook',
    send: (to, page, idempotencyKey) => {
      const body = JSON.stringify(webhookPayload(to, page, idempotencyKey));
      return sendWithRetries(config, { ...retry, idempotent: true }, async (signal) => {
        const timestamp = Math.floor(now().getTime() / 1000);
        await providerRequest(
          'the webhook',
          config.url,
          {
            headers: {
              'content-type': 'application/json',
              'idempotency-key': idempotencyKey,
              'x-incidentbot-timestamp': String(timestamp),
              'x-incidentbot-signature': webhookSignature(config.secret.reveal(), timestamp, body),
            },
            body,
          },
          signal,
        );
        return undefined;
      });
    },
  };
}
