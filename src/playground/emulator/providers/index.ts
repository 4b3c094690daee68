import { envFields } from '../../../config/fields.js';
import { type PagingConfig, pagingSchema } from '../../../config/paging.js';
import { ProviderHttpEmulator } from './http.js';
import { SmtpEmulator } from './smtp.js';

export { ProviderHttpEmulator } from './http.js';
export { SmtpEmulator } from './smtp.js';
export * from './inbound.js';
export type * from './records.js';

/** The paging providers at the network edge: the SMTP relay and the HTTP server of Twilio, PagerDuty, Opsgenie. */
export interface PagingProviders {
  smtp: SmtpEmulator;
  providers: ProviderHttpEmulator;
  /** The environment the `paging:` block's `${ENV}` references read. */
  env: Record<string, string>;
  /** A `paging:` block as written in incidentbot.yml, every channel pointed at the emulators; `null` leaves one out. */
  block(overrides?: Record<string, Record<string, unknown> | null>): Record<string, unknown>;
  /** The block, parsed: what `config.paging` is for a bot that pages the emulators. */
  config(overrides?: Record<string, Record<string, unknown> | null>): PagingConfig;
  close(): Promise<void>;
}

/**
 * Starts both emulators (the playground and the tests share them). `retry` goes into every block; `now` stamps
 * what they receive (the playground's moved clock, so the Phones panel shows the bot's times).
 */
export async function startPagingProviders(
  retry: Record<string, unknown> = {},
  now?: () => Date,
): Promise<PagingProviders> {
  const smtp = await SmtpEmulator.start(now);
  const providers = await ProviderHttpEmulator.start({}, now);
  const c = providers.credentials;
  const env = {
    SMTP_USER: smtp.user,
    SMTP_PASSWORD: smtp.password,
    TWILIO_ACCOUNT_SID: c.twilioAccountSid,
    TWILIO_AUTH_TOKEN: c.twilioAuthToken,
    PAGERDUTY_ROUTING_KEY: c.pagerdutyRoutingKey,
    PAGERDUTY_WEBHOOK_SECRET: c.pagerdutyWebhookSecret,
    OPSGENIE_API_KEY: c.opsgenieApiKey,
    OPSGENIE_WEBHOOK_TOKEN: c.opsgenieWebhookToken,
    PAGING_WEBHOOK_SECRET: c.webhookSecret,
  };
  const base: Record<string, Record<string, unknown>> = {
    smtp: {
      host: '127.0.0.1',
      port: smtp.port,
      verify_certificate: false,
      user: '${SMTP_USER}',
      password: '${SMTP_PASSWORD}',
      from: 'incident-bot <pager@example.com>',
      ...retry,
    },
    twilio: {
      account_sid: '${TWILIO_ACCOUNT_SID}',
      auth_token: '${TWILIO_AUTH_TOKEN}',
      from: '+15005550006',
      api_url: providers.url,
      ...retry,
    },
    pagerduty: {
      routing_key: '${PAGERDUTY_ROUTING_KEY}',
      webhook_secret: '${PAGERDUTY_WEBHOOK_SECRET}',
      events_url: providers.url,
      ...retry,
    },
    opsgenie: {
      api_key: '${OPSGENIE_API_KEY}',
      webhook_token: '${OPSGENIE_WEBHOOK_TOKEN}',
      api_url: providers.url,
      ...retry,
    },
    webhook: { url: `${providers.url}/webhook`, secret: '${PAGING_WEBHOOK_SECRET}', ...retry },
  };
  const block = (overrides: Record<string, Record<string, unknown> | null> = {}) =>
    Object.fromEntries(
      Object.entries({ ...base, ...overrides })
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, { ...base[k], ...v }]),
    );
  return {
    smtp,
    providers,
    env,
    block,
    config: (overrides) => pagingSchema(envFields(env)).parse(block(overrides)),
    async close() {
      await smtp.close();
      await providers.close();
    },
  };
}
