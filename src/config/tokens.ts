import { z } from 'zod';
import { duration } from './duration.js';
import { type envFields, backoff, slackChannelId } from './fields.js';

type Fields = ReturnType<typeof envFields>;

/** File permissions: `0o600` (a YAML octal number) or the string "0600". */
const fileMode = z.union([
  z.number().int().min(0).max(0o777),
  z
    .string()
    .regex(/^0?[0-7]{3}$/, 'write a mode like "0600"')
    .transform((text) => Number.parseInt(text, 8)),
]);

/**
 * OAuth 2.0 client-credentials providers. The defaults are the source
 * runbook's numbers (document 000): 60 s timeout, 3 retries with exponential
 * backoff, a 10-minute validity buffer, a proactive refresh every 15 minutes
 * of tokens within 15 minutes of expiry, and an alert at 20 minutes.
 */
export function tokenProviderSchema(f: Fields) {
  const sink = z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('file'), path: f.text, mode: fileMode.default(0o600) }),
    z.strictObject({ kind: z.literal('redis'), key: z.string().min(1), url: f.sensitive.optional() }),
    z.strictObject({
      kind: z.literal('http'),
      url: f.text,
      method: z.enum(['POST', 'PUT']).default('POST'),
      headers: z.record(z.string(), f.sensitive).default({}),
    }),
  ]);
  return z.strictObject({
    title: z.string().optional(),
    kind: z.literal('oauth_client_credentials').default('oauth_client_credentials'),
    token_url: f.text,
    client_id: f.secret,
    client_secret: f.secret,
    scope: z.string().optional(),
    /** `body` sends the credentials as form fields (Salesforce); `basic` as an Authorization header. */
    auth_style: z.enum(['body', 'basic']).default('body'),
    /** How long a token lives when the server sends no `expires_in` (Salesforce does not). */
    lifetime: duration.default(2 * 3_600_000),
    timeout: duration.default(60_000),
    retries: z.number().int().min(0).max(10).default(3),
    backoff: backoff.prefault({ initial: '1s', max: '30s' }),
    /** A token is treated as expired this long before it really expires. */
    buffer: duration.default(10 * 60_000),
    proactive: z
      .strictObject({
        every: duration.default(15 * 60_000),
        window: duration.default(15 * 60_000),
      })
      .prefault({}),
    alert_before: duration.default(20 * 60_000),
    /**
     * Told when a refresh fails while the token is within `alert_before` of expiry (or expired, or never
     * obtained), and when it works again.
     */
    alert_channel: slackChannelId.optional(),
    sink: sink.optional(),
  });
}

export type TokenProviderConfig = z.infer<ReturnType<typeof tokenProviderSchema>>;
export type TokenSinkConfig = NonNullable<TokenProviderConfig['sink']>;
