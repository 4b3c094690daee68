import { ProviderHttpEmulator } from '../../src/playground/emulator/providers/http.js';
import { SmtpEmulator } from '../../src/playground/emulator/providers/smtp.js';

/** Fast retries, so a test of 429 / 5xx / timeouts does not wait for the production backoff. */
export const FAST_RETRIES = { timeout: '2s', retries: 2, backoff: { initial: '10ms', max: '50ms', jitter: false } };

export interface PagingEmulators {
  smtp: SmtpEmulator;
  providers: ProviderHttpEmulator;
  /** The environment the `paging:` block's `${ENV}` references read. */
  env: Record<string, string>;
  /** A `paging:` block, as written in incidentbot.yml, pointing every channel at the emulators. */
  block(overrides?: Record<string, Record<string, unknown> | null>): Record<string, unknown>;
  /** (`null` leaves a channel out.) */
  /** Every credential and contact value a scanner must never find in the timeline or the logs. */
  secrets(): string[];
  close(): Promise<void>;
}

export async function startPagingEmulators(): Promise<PagingEmulators> {
  const smtp = await SmtpEmulator.start();
  const providers = await ProviderHttpEmulator.start();
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
  const block = (overrides: Record<string, Record<string, unknown> | null> = {}) => {
    const base: Record<string, Record<string, unknown>> = {
      smtp: {
        host: '127.0.0.1',
        port: smtp.port,
        verify_certificate: false,
        user: '${SMTP_USER}',
        password: '${SMTP_PASSWORD}',
        from: 'incident-bot <pager@example.com>',
        ...FAST_RETRIES,
      },
      twilio: {
        account_sid: '${TWILIO_ACCOUNT_SID}',
        auth_token: '${TWILIO_AUTH_TOKEN}',
        from: '+15005550006',
        api_url: providers.url,
        ...FAST_RETRIES,
      },
      pagerduty: {
        routing_key: '${PAGERDUTY_ROUTING_KEY}',
        webhook_secret: '${PAGERDUTY_WEBHOOK_SECRET}',
        events_url: providers.url,
        ...FAST_RETRIES,
      },
      opsgenie: {
        api_key: '${OPSGENIE_API_KEY}',
        webhook_token: '${OPSGENIE_WEBHOOK_TOKEN}',
        api_url: providers.url,
        ...FAST_RETRIES,
      },
      webhook: { url: `${providers.url}/webhook`, secret: '${PAGING_WEBHOOK_SECRET}', ...FAST_RETRIES },
    };
    return Object.fromEntries(
      Object.entries({ ...base, ...overrides })
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, { ...base[k], ...v }]),
    );
  };
  return {
    smtp,
    providers,
    env,
    block,
    secrets: () => Object.values(env),
    async close() {
      await smtp.close();
      await providers.close();
    },
  };
}
