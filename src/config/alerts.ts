import { z } from 'zod';
import { SEVERITIES } from '../domain/severity.js';
import { duration } from './duration.js';
import type { envFields } from './fields.js';

type Fields = ReturnType<typeof envFields>;

/**
 * Alertmanager's webhook (`POST /hooks/alertmanager`): which alerts open
 * which playbook. The first route whose labels all match wins; an alert no
 * route matches is counted and left alone.
 */
export function alertsSchema(f: Fields) {
  const route = z.strictObject({
    match: z
      .record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a Prometheus label name'), z.string())
      .refine((labels) => Object.keys(labels).length > 0, { message: 'match at least one label, e.g. alertname' }),
    playbook: z.string().min(1),
    severity: z.enum(SEVERITIES).optional(),
  });
  return z.strictObject({
    /**
     * The bearer token Alertmanager sends (`http_config.authorization.credentials`). Without it the hook answers
     * 404.
     */
    token: f.secret
      .refine((token) => token.missing.length > 0 || token.reveal().length >= 32, {
        message: 'alerts.token must be at least 32 characters (e.g. `openssl rand -hex 24`)',
      })
      .optional(),
    routes: z.array(route).default([]),
    /**
     * At most this many incidents opened from alerts per `incident_window`; the alerts of further groups join
     * the newest open one instead, with a summary line in its thread.
     */
    max_new_incidents: z.number().int().min(1).max(1_000).default(5),
    incident_window: duration.default(10 * 60_000),
  });
}

export type AlertsConfig = z.infer<ReturnType<typeof alertsSchema>>;
export type AlertRoute = AlertsConfig['routes'][number];
