import { pagerdutySignature, twilioSignature } from '../../../paging/signatures.js';
import { randomHex } from '../ids.js';
import { presentProps } from '../../../domain/defined.js';
import type { ProviderHttpEmulator } from './http.js';
import type { CallRecord } from './records.js';

/**
 * What the providers send the bot: a person's SMS reply, the key they press on the call, PagerDuty's and
 * Opsgenie's webhooks. Each is signed as the provider signs it, with the emulator's credentials (a test passes
 * `signWith` to sign with the wrong ones).
 */
export interface Answer {
  status: number;
  body: string;
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: await response.text() };
}

/** A text message from `from` to the bot's Twilio number, posted to the bot's SMS webhook. */
export function replySms(
  emulator: ProviderHttpEmulator,
  botUrl: string,
  message: { from: string; to: string; body: string },
  options: { signWith?: string } = {},
): Promise<Answer> {
  const url = `${botUrl.replace(/\/$/, '')}/hooks/twilio/sms`;
  const form = {
    MessageSid: `SM${randomHex(16)}`,
    AccountSid: emulator.credentials.twilioAccountSid,
    From: message.from,
    To: message.to,
    Body: message.body,
    NumMedia: '0',
  };
  const signature = twilioSignature(options.signWith ?? emulator.credentials.twilioAuthToken, url, form);
  return post(
    url,
    { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    new URLSearchParams(form).toString(),
  );
}

/** The person presses `digits` on a call the bot made: Twilio posts them to the call's Gather action. */
export function pressKeys(
  emulator: ProviderHttpEmulator,
  call: CallRecord,
  digits: string,
  options: { signWith?: string } = {},
): Promise<Answer> {
  if (!call.action) throw new Error('this call asked for no key press');
  const form = {
    CallSid: call.sid,
    AccountSid: emulator.credentials.twilioAccountSid,
    From: call.from,
    To: call.to,
    Digits: digits,
    CallStatus: 'in-progress',
    Direction: 'outbound-api',
  };
  const signature = twilioSignature(options.signWith ?? emulator.credentials.twilioAuthToken, call.action, form);
  return post(
    call.action,
    { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    new URLSearchParams(form).toString(),
  );
}

/** A PagerDuty v3 webhook: someone acknowledged or resolved the incident with this `incident_key` in PagerDuty. */
export function pagerdutyWebhook(
  emulator: ProviderHttpEmulator,
  botUrl: string,
  event: { type: 'incident.acknowledged' | 'incident.resolved' | 'incident.triggered'; key: string; agent?: string },
  options: { signWith?: string } = {},
): Promise<Answer> {
  const body = JSON.stringify({
    event: {
      id: `01${randomHex(12).toUpperCase()}`,
      event_type: event.type,
      resource_type: 'incident',
      occurred_at: new Date().toISOString(),
      agent: event.agent ? { id: event.agent, type: 'user_reference', summary: 'PagerDuty user' } : null,
      data: {
        id: `Q${randomHex(6).toUpperCase()}`,
        type: 'incident',
        incident_key: event.key,
        status: event.type.slice(9),
      },
    },
  });
  const signature = pagerdutySignature(options.signWith ?? emulator.credentials.pagerdutyWebhookSecret, body);
  return post(
    `${botUrl.replace(/\/$/, '')}/hooks/pagerduty`,
    { 'content-type': 'application/json', 'x-pagerduty-signature': signature },
    body,
  );
}

/** Opsgenie's outgoing webhook: an alert (alias = the incident key) acknowledged or closed there. */
export function opsgenieWebhook(
  emulator: ProviderHttpEmulator,
  botUrl: string,
  event: { action: 'Acknowledge' | 'Close'; key: string; username?: string },
  options: { token?: string } = {},
): Promise<Answer> {
  const body = JSON.stringify({
    action: event.action,
    alert: {
      alertId: randomHex(8),
      alias: event.key,
      message: event.key,
      ...presentProps({ username: event.username }),
    },
    source: { name: 'web', type: 'web' },
  });
  return post(
    `${botUrl.replace(/\/$/, '')}/hooks/opsgenie`,
    {
      'content-type': 'application/json',
      authorization: `Bearer ${options.token ?? emulator.credentials.opsgenieWebhookToken}`,
    },
    body,
  );
}
