import { z } from 'zod';
import { duration } from './duration.js';
import { type envFields, backoff, slackUserId } from './fields.js';

type Fields = ReturnType<typeof envFields>;

/** How a person is reached. `push` goes out through the generic webhook (ntfy, Gotify and the like are push). */
export const PAGE_VIAS = ['slack', 'email', 'sms', 'voice', 'push', 'webhook'] as const;
export type PageVia = (typeof PAGE_VIAS)[number];

/** A phone number in E.164: a plus, the country code and the number, no spaces. */
const phone = z.string().regex(/^\+[1-9]\d{6,14}$/, 'write a phone number in E.164, like +14155550123');

const rule = z.strictObject({ via: z.enum(PAGE_VIAS), after: duration.default(0) });
export type PageRule = z.infer<typeof rule>;

/**
 * A person the bot may page, by Slack user id: how to reach them, and in what order. The rules run when an
 * escalation level pages the person and stop as soon as anyone acknowledges. Without rules: Slack at once.
 */
export const personSchema = z.strictObject({
  email: z.email().optional(),
  phone: phone.optional(),
  /** Their PagerDuty user id (PXXXXXX): an acknowledgement PagerDuty reports as theirs is recorded as theirs. */
  pagerduty_user: z.string().min(1).optional(),
  rules: z
    .array(rule)
    .max(10)
    .default([{ via: 'slack', after: 0 }]),
});
export type PersonConfig = z.infer<typeof personSchema>;

export const peopleSchema = z.record(slackUserId, personSchema).default({});

/** Retries of one send: a 429 (its Retry-After), a 5xx or a timeout is tried again, with the bot's backoff. */
const retries = {
  timeout: duration.default(10_000),
  retries: z.number().int().min(0).max(10).default(3),
  backoff: backoff.prefault({ initial: '1s', max: '30s' }),
};

/**
 * The paging channels, each on when its block is there. Credentials are `${ENV}` references only; one that is
 * not set stops the start, naming it (a warning for the shipped example).
 */
export function pagingSchema(f: Fields) {
  return z.strictObject({
    /**
     * Pages by direct message to one person go out at most one per this (Slack allows about one message a second
     * in a channel, a DM included); the pages that come meanwhile go out together in the next one. 0: each alone.
     */
    dm_min_interval: duration.default(1_000),
    /** The bot's URL as providers reach it (Twilio signs it); default: the URL the bot listens on. */
    public_url: z.url().optional(),
    smtp: z
      .strictObject({
        host: f.text,
        port: z.number().int().min(1).max(65535).default(587),
        /** `starttls` (port 587) upgrades the connection and refuses to go on without TLS; `tls` is port 465. */
        security: z.enum(['starttls', 'tls']).default('starttls'),
        /** Only for a test server with a self-signed certificate (the playground's). */
        verify_certificate: z.boolean().default(true),
        user: f.secret.optional(),
        password: f.secret.optional(),
        from: z.string().min(3),
        ...retries,
      })
      .optional(),
    twilio: z
      .strictObject({
        account_sid: f.secret,
        auth_token: f.secret,
        /** The number SMS and calls come from (E.164). */
        from: phone,
        api_url: f.text.default('https://api.twilio.com'),
        ...retries,
      })
      .optional(),
    pagerduty: z
      .strictObject({
        /** The Events API v2 integration key of the PagerDuty service incidents are mirrored to. */
        routing_key: f.secret,
        /** The signing secret of the v3 webhook subscription that reports acknowledgements back. */
        webhook_secret: f.secret,
        events_url: f.text.default('https://events.pagerduty.com'),
        ...retries,
      })
      .optional(),
    opsgenie: z
      .strictObject({
        api_key: f.secret,
        /** Opsgenie's outgoing webhook sends it as `Authorization: Bearer <token>` (a custom header there). */
        webhook_token: f.secret,
        /** `https://api.eu.opsgenie.com` for the EU instance. */
        api_url: f.text.default('https://api.opsgenie.com'),
        ...retries,
      })
      .optional(),
    webhook: z
      .strictObject({
        url: f.text,
        /** Signs each POST: HMAC-SHA256 over `<timestamp>.<body>` (README, "Paging"). */
        secret: f.secret,
        ...retries,
      })
      .optional(),
  });
}

export type PagingConfig = z.infer<ReturnType<typeof pagingSchema>>;

/** Which config block a way of reaching someone needs. */
export const CHANNEL_OF: Record<Exclude<PageVia, 'slack'>, 'smtp' | 'twilio' | 'webhook'> = {
  email: 'smtp',
  sms: 'twilio',
  voice: 'twilio',
  push: 'webhook',
  webhook: 'webhook',
};

type Raw = Record<string, unknown>;
const record = (value: unknown): Raw =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};

/** A rule that cannot work: its channel has no block under `paging:`, or the person has no address for it. */
export function pagingProblems(raw: Raw): Array<{ path: Array<string | number>; message: string }> {
  const paging = record(raw.paging);
  const problems: Array<{ path: Array<string | number>; message: string }> = [];
  for (const [user, person] of Object.entries(record(raw.people))) {
    const p = record(person);
    const rules = Array.isArray(p.rules) ? p.rules : [];
    rules.forEach((r, i) => {
      const via = record(r).via;
      if (typeof via !== 'string' || via === 'slack' || !(via in CHANNEL_OF)) return;
      const block = CHANNEL_OF[via as keyof typeof CHANNEL_OF];
      const path = ['people', user, 'rules', i, 'via'];
      if (!(block in paging)) problems.push({ path, message: `${via} needs a paging.${block} block` });
      if (via === 'email' && !p.email) problems.push({ path, message: `${via} needs an email for ${user}` });
      if ((via === 'sms' || via === 'voice') && !p.phone)
        problems.push({ path, message: `${via} needs a phone number for ${user}` });
    });
  }
  return problems;
}
