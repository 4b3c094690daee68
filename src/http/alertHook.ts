import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { receiveAlerts } from '../app/alerts.js';
import type { AppDeps } from '../app/deps.js';
import type { Secret } from '../config/secret.js';
import { alertmanagerPayload } from '../domain/alerts.js';
import type { Logger } from '../log.js';
import { BodyTooLargeError, type Route, readBody, sendJson } from './server.js';

export const ALERT_HOOK_PATH = '/hooks/alertmanager';

/**
 * `POST /hooks/alertmanager`: Alertmanager's webhook receiver, behind the
 * bearer token of `alerts.token`. Answers 200 once every alert is handled
 * (an error is a 5xx, and Alertmanager sends the batch again: handling is
 * idempotent); a body it cannot read is a 400 that changes nothing.
 */
export function alertHookRoute(token: Secret | undefined, deps: () => AppDeps | undefined, log: Logger): Route {
  return {
    method: 'POST',
    path: ALERT_HOOK_PATH,
    handler: async (req, res) => {
      if (!token || token.missing.length > 0) {
        const message = token
          ? `the alert hook is off: ${token.missing.join(', ')} is not set`
          : 'the alert hook is off: set alerts.token in the config';
        return sendJson(res, 404, { error: 'not_found', message });
      }
      if (!authorized(req, token.reveal())) {
        res.setHeader('www-authenticate', 'Bearer');
        return sendJson(res, 401, { error: 'unauthorized', message: 'send Authorization: Bearer <alerts.token>' });
      }
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req, 2_000_000));
      } catch (error) {
        const message = error instanceof BodyTooLargeError ? error.message : 'the body is not JSON';
        return sendJson(res, error instanceof BodyTooLargeError ? 413 : 400, { error: 'invalid_body', message });
      }
      const app = deps();
      // Not connected to Slack yet: Alertmanager sends the batch again.
      if (!app) return sendJson(res, 503, { error: 'starting' });
      const parsed = alertmanagerPayload.safeParse(body);
      if (!parsed.success) {
        const problems = parsed.error.issues
          .slice(0, 10)
          .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
        return sendJson(res, 400, {
          error: 'invalid_payload',
          message: 'not an Alertmanager webhook (version 4) body',
          problems,
        });
      }
      const outcome = await receiveAlerts(app, parsed.data);
      log.info({ receiver: parsed.data.receiver, alerts: parsed.data.alerts.length, ...outcome }, 'alerts received');
      return sendJson(res, 200, outcome);
    },
  };
}

function authorized(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
