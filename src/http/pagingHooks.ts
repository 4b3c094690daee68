import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AppDeps } from '../app/deps.js';
import { acknowledgeFromChannel, acknowledgeFromPhone } from '../app/pagerAcks.js';
import type { PagingConfig } from '../config/paging.js';
import type { Logger } from '../log.js';
import { verifyBearer, verifyPagerDuty, verifyTwilio } from '../paging/signatures.js';
import { answerTwiml } from '../paging/texts.js';
import { TWILIO_SMS_PATH, TWILIO_VOICE_PATH } from '../paging/twilio.js';
import { BodyTooLargeError, type Route, readBody, sendJson } from './server.js';
import { presentProps } from '../domain/defined.js';

export const PAGERDUTY_HOOK_PATH = '/hooks/pagerduty';
export const OPSGENIE_HOOK_PATH = '/hooks/opsgenie';

const KEY = /^INC-\d{1,9}$/;

/** PagerDuty webhooks v3: the fields read (the incident's `incident_key` is our dedup_key, the incident key). */
const pagerdutyWebhook = z.object({
  event: z.object({
    id: z.string(),
    event_type: z.string(),
    agent: z.object({ id: z.string() }).nullish(),
    data: z.object({ incident_key: z.string().nullish() }).loose(),
  }),
});

/** Opsgenie's outgoing webhook: the action and the alert's alias (our key) and who did it. */
const opsgenieWebhook = z.object({
  action: z.string(),
  alert: z
    .object({ alias: z.string().optional(), alertId: z.string().optional(), username: z.string().optional() })
    .loose(),
});

/**
 * The providers' webhooks, each signature checked before anything is read: Twilio (an SMS reply, a call's key
 * press; X-Twilio-Signature over the URL and the sorted form), PagerDuty (X-PagerDuty-Signature, HMAC-SHA256 of
 * the body) and Opsgenie (the bearer token set on its webhook). A bad signature is a 403 that changes nothing;
 * a channel without its config block answers 404.
 */
export function pagingHookRoutes(paging: PagingConfig, deps: () => AppDeps | undefined, log: Logger): Route[] {
  const publicUrl = (req: IncomingMessage) =>
    `${paging.public_url?.replace(/\/$/, '') ?? `http://${req.headers.host ?? 'localhost'}`}${req.url ?? '/'}`;
  const ready = (res: ServerResponse) => {
    const app = deps();
    if (!app) sendJson(res, 503, { error: 'starting' });
    return app;
  };
  const twilio = (channel: 'sms' | 'voice'): Route => ({
    method: 'POST',
    path: channel === 'sms' ? TWILIO_SMS_PATH : TWILIO_VOICE_PATH,
    handler: async (req, res, url) => {
      if (!paging.twilio) return sendJson(res, 404, { error: 'not_found', message: 'paging.twilio is not configured' });
      const body = await read(req, res);
      if (body === undefined) return;
      const form = Object.fromEntries(new URLSearchParams(body));
      const signature = header(req, 'x-twilio-signature');
      if (!verifyTwilio(paging.twilio.auth_token.reveal(), publicUrl(req), form, signature)) {
        log.warn({ path: url.pathname }, 'Twilio webhook refused: bad signature');
        return sendJson(res, 403, { error: 'bad_signature' });
      }
      const app = ready(res);
      if (!app) return;
      // An SMS comes From the person; on our call, the person is the number called (To).
      const phone = channel === 'sms' ? form.From : form.To;
      const key = url.searchParams.get('incident') ?? undefined;
      const said = channel === 'sms' ? (form.Body ?? '') : (form.Digits ?? '');
      const text = await acknowledgeFromPhone(app, {
        channel,
        phone: phone ?? '',
        said,
        ...(key && KEY.test(key) ? { key } : {}),
        requestKey: form.MessageSid ?? `${form.CallSid ?? 'call'}:${said}`,
      });
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
      res.end(answerTwiml(channel, text));
    },
  });
  const pagerduty: Route = {
    method: 'POST',
    path: PAGERDUTY_HOOK_PATH,
    handler: async (req, res) => {
      if (!paging.pagerduty)
        return sendJson(res, 404, { error: 'not_found', message: 'paging.pagerduty is not configured' });
      const body = await read(req, res);
      if (body === undefined) return;
      if (!verifyPagerDuty(paging.pagerduty.webhook_secret.reveal(), body, header(req, 'x-pagerduty-signature'))) {
        log.warn('PagerDuty webhook refused: bad signature');
        return sendJson(res, 403, { error: 'bad_signature' });
      }
      const parsed = pagerdutyWebhook.safeParse(parseJson(body));
      if (!parsed.success)
        return sendJson(res, 400, { error: 'invalid_payload', message: 'not a PagerDuty v3 webhook' });
      const { event } = parsed.data;
      const action =
        event.event_type === 'incident.acknowledged'
          ? 'acknowledge'
          : event.event_type === 'incident.resolved'
            ? 'resolve'
            : undefined;
      const key = event.data.incident_key ?? undefined;
      if (!action || !key || !KEY.test(key)) return sendJson(res, 200, { ignored: event.event_type });
      const app = ready(res);
      if (!app) return;
      const person = Object.entries(app.config.people).find(
        ([, p]) => event.agent && p.pagerduty_user === event.agent.id,
      )?.[0];
      const said = await acknowledgeFromChannel(app, {
        channel: 'pagerduty',
        action,
        target: { key },
        ...presentProps({ person }),
        requestKey: event.id,
      });
      return sendJson(res, 200, { ok: true, said });
    },
  };
  const opsgenie: Route = {
    method: 'POST',
    path: OPSGENIE_HOOK_PATH,
    handler: async (req, res) => {
      if (!paging.opsgenie)
        return sendJson(res, 404, { error: 'not_found', message: 'paging.opsgenie is not configured' });
      if (!verifyBearer(paging.opsgenie.webhook_token.reveal(), header(req, 'authorization'))) {
        log.warn('Opsgenie webhook refused: bad token');
        return sendJson(res, 403, { error: 'bad_signature' });
      }
      const body = await read(req, res);
      if (body === undefined) return;
      const parsed = opsgenieWebhook.safeParse(parseJson(body));
      if (!parsed.success) return sendJson(res, 400, { error: 'invalid_payload', message: 'not an Opsgenie webhook' });
      const { action: said, alert } = parsed.data;
      const action = said === 'Acknowledge' ? 'acknowledge' : said === 'Close' ? 'resolve' : undefined;
      if (!action || !alert.alias || !KEY.test(alert.alias)) return sendJson(res, 200, { ignored: said });
      const app = ready(res);
      if (!app) return;
      const person = Object.entries(app.config.people).find(
        ([, p]) => alert.username !== undefined && p.email === alert.username,
      )?.[0];
      const answer = await acknowledgeFromChannel(app, {
        channel: 'opsgenie',
        action,
        target: { key: alert.alias },
        ...presentProps({ person }),
        requestKey: `${alert.alertId ?? alert.alias}:${said}`,
      });
      return sendJson(res, 200, { ok: true, said: answer });
    },
  };
  return [twilio('sms'), twilio('voice'), pagerduty, opsgenie];
}

async function read(req: IncomingMessage, res: ServerResponse): Promise<string | undefined> {
  try {
    return await readBody(req, 200_000);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    sendJson(res, 413, { error: 'invalid_body', message: error.message });
    return undefined;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
