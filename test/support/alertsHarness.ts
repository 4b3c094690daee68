import { expect } from 'vitest';
import type { AlertsOutcome } from '../../src/app/alerts.js';
import type { Config } from '../../src/config/schema.js';
import { ALERT_HOOK_PATH } from '../../src/http/alertHook.js';
import { overrideConfig } from './config.js';

/** The bearer token of `alerts.token` in `alertsConfig` (a placeholder: no credential). */
export const ALERTS_TOKEN = 'alerts-token-placeholder-0123456789abcdef';

/** The route every alerts test has: `RedisDown` opens the redis-down playbook at sev1. */
export const REDIS_DOWN_ROUTE = { match: { alertname: 'RedisDown' }, playbook: 'redis-down', severity: 'sev1' };

/**
 * For `startHarness({ config })`: the alert hook on, behind `ALERTS_TOKEN` (given as `${AM_TOKEN}`, as in
 * incidentbot.yml), with the `RedisDown` route; `alerts` adds or replaces settings of the `alerts` block
 * (`max_new_incidents`, `incident_window`, other `routes`).
 */
export function alertsConfig(alerts: Record<string, unknown> = {}): (base: Config) => Config {
  return (base) =>
    overrideConfig(
      base,
      { alerts: { token: '${AM_TOKEN}', routes: [REDIS_DOWN_ROUTE], ...alerts } },
      { AM_TOKEN: ALERTS_TOKEN },
    );
}

export interface AlertGroup {
  /** The group's labels (Alertmanager's `group_by`): its groupLabels, and in commonLabels and every alert's labels. */
  labels: Record<string, string>;
  /** Labels every alert of the group has beside the group's (in commonLabels too). */
  common?: Record<string, string>;
  /** Default: Alertmanager's, from the route (`route`, default `{}`) and the group's labels. */
  groupKey?: string;
  route?: string;
}

export interface AlertSpec {
  fingerprint: string;
  /** Beside the group's and the common ones. */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Default 2026-11-30T03:00:00Z. */
  startsAt?: string;
  /** Default: Alertmanager's zero time while firing, 2026-11-30T03:10:00Z once resolved. */
  endsAt?: string;
  generatorURL?: string;
}

/** One Alertmanager notification (webhook body, version 4) of one group, with its alerts all `status`. */
export function alertNotification(status: 'firing' | 'resolved', group: AlertGroup, alerts: AlertSpec[]) {
  const groupKey =
    group.groupKey ??
    `${group.route ?? '{}'}:{${Object.entries(group.labels)
      .map(([name, value]) => `${name}="${value}"`)
      .join(', ')}}`;
  const common = { ...group.labels, ...group.common };
  return {
    version: '4',
    groupKey,
    truncatedAlerts: 0,
    status,
    receiver: 'incident-bot',
    groupLabels: group.labels,
    commonLabels: common,
    commonAnnotations: {},
    externalURL: 'http://alertmanager.invalid',
    alerts: alerts.map((alert) => ({
      status,
      labels: { ...common, ...alert.labels },
      annotations: alert.annotations ?? {},
      startsAt: alert.startsAt ?? '2026-11-30T03:00:00Z',
      endsAt: alert.endsAt ?? (status === 'resolved' ? '2026-11-30T03:10:00Z' : '0001-01-01T00:00:00Z'),
      ...(alert.generatorURL === undefined ? {} : { generatorURL: alert.generatorURL }),
      fingerprint: alert.fingerprint,
    })),
  };
}

/** What `alertNotification` returns. */
export type AlertNotification = ReturnType<typeof alertNotification>;

/**
 * POSTs `body` (JSON.stringify'd unless a string) to the bot's (or a replica's) Alertmanager hook, with
 * `Authorization: Bearer <token>` (default `ALERTS_TOKEN`), as Alertmanager does; the answer as it came.
 */
export function postAlerts(to: { url: string }, body: unknown, token = ALERTS_TOKEN): Promise<Response> {
  return fetch(`${to.url}${ALERT_HOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** `postAlerts` with the right token, expecting 200: what the bot did with the alerts. */
export async function sendAlerts(to: { url: string }, body: unknown): Promise<AlertsOutcome> {
  const answer = await postAlerts(to, body);
  expect(answer.status).toBe(200);
  return (await answer.json()) as AlertsOutcome;
}
