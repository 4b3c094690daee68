import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The request signatures of the providers' webhooks, computed and checked in one place (the emulators sign with
 * the same functions, so a test of a wrong signature is a real one).
 */

/** Twilio: base64 HMAC-SHA1 of the full URL it called followed by each POST parameter, sorted, name then value. */
export function twilioSignature(authToken: string, url: string, params: Readonly<Record<string, string>>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, name) => acc + name + params[name], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export function verifyTwilio(
  authToken: string,
  url: string,
  params: Readonly<Record<string, string>>,
  header: string | undefined,
): boolean {
  return header !== undefined && sameText(twilioSignature(authToken, url, params), header);
}

/** PagerDuty webhooks v3: `X-PagerDuty-Signature: v1=<hex HMAC-SHA256 of the raw body>`, several during a rotation. */
export function pagerdutySignature(secret: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export function verifyPagerDuty(secret: string, body: string, header: string | undefined): boolean {
  if (!header) return false;
  const wanted = pagerdutySignature(secret, body);
  return header.split(',').some((given) => sameText(wanted, given.trim()));
}

/** The generic webhook: `v1=<hex HMAC-SHA256 of "<unix seconds>.<body>">` (README, "Paging"). */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** A bearer token, compared in constant time. */
export function verifyBearer(token: string, header: string | undefined): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1];
  return given !== undefined && sameText(token, given);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
