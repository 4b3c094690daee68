import { createHmac } from 'node:crypto';

/**
 * Slack's request signing (docs.slack.dev/authentication/verifying-requests-from-slack):
 * `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the app's signing secret.
 */
export function slackSignature(signingSecret: string, timestampSeconds: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex')}`;
}

/** The headers Slack sends with every request to an app's Request URL. */
export function signedHeaders(
  signingSecret: string,
  timestampSeconds: number,
  rawBody: string,
): Record<string, string> {
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestampSeconds),
    'x-slack-signature': slackSignature(signingSecret, timestampSeconds, rawBody),
  };
}
