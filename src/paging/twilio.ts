import type { PagingConfig } from '../config/paging.js';
import { providerRequest } from './http.js';
import type { PageContent, PersonChannel, Recipient, SendOutcome } from './port.js';
import { type RetryOptions, ProviderError, sendWithRetries } from './retry.js';
import { smsText, voiceTwiml } from './texts.js';

type TwilioConfig = NonNullable<PagingConfig['twilio']>;

/** Where Twilio posts a call's key press: the bot's own hook, with the incident in the (signed) URL. */
export const TWILIO_VOICE_PATH = '/hooks/twilio/voice';
export const TWILIO_SMS_PATH = '/hooks/twilio/sms';

/**
 * SMS and voice through Twilio's REST API (Messages and Calls). Twilio takes no idempotency key, so a lost answer
 * ends the send as "may have been sent" instead of texting or calling twice.
 */
export function twilioChannels(config: TwilioConfig, publicUrl: string, retry: Omit<RetryOptions, 'idempotent'> = {}) {
  const post = async (resource: 'Messages' | 'Calls', form: Record<string, string>, signal: AbortSignal) => {
    // Credentials are read at the send, never before: an unset one fails that page, saying which variable to set.
    const account = encodeURIComponent(config.account_sid.reveal());
    const base = `${config.api_url.replace(/\/$/, '')}/2010-04-01/Accounts/${account}`;
    const auth = Buffer.from(`${config.account_sid.reveal()}:${config.auth_token.reveal()}`).toString('base64');
    const answer = await providerRequest(
      'Twilio',
      `${base}/${resource}.json`,
      {
        headers: { authorization: `Basic ${auth}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      },
      signal,
    );
    const sid = (answer as { sid?: unknown }).sid;
    if (typeof sid !== 'string')
      throw new ProviderError('Twilio answered without a sid', { retryable: false, uncertain: true });
    return sid;
  };
  const phoneOf = (to: Recipient) => {
    if (!to.phone) throw new ProviderError(`no phone number for ${to.user}`, { retryable: false, uncertain: false });
    return to.phone;
  };
  const send = (run: (signal: AbortSignal) => Promise<string>): Promise<SendOutcome> =>
    sendWithRetries(config, { ...retry, idempotent: false }, run);
  const sms: PersonChannel = {
    via: 'sms',
    send: (to: Recipient, page: PageContent) =>
      send((signal) => post('Messages', { To: phoneOf(to), From: config.from, Body: smsText(page) }, signal)),
  };
  const voice: PersonChannel = {
    via: 'voice',
    send: (to: Recipient, page: PageContent) => {
      const action = `${publicUrl.replace(/\/$/, '')}${TWILIO_VOICE_PATH}?incident=${encodeURIComponent(page.key)}`;
      return send((signal) =>
        post('Calls', { To: phoneOf(to), From: config.from, Twiml: voiceTwiml(page, action) }, signal),
      );
    },
  };
  return { sms, voice };
}
