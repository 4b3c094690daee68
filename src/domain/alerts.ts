import { z } from 'zod';
import { MAX_SUMMARY, cleanText, truncate } from './text.js';

/**
 * Alertmanager's webhook body (version 4), as much of it as the bot reads.
 * https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
 */
const labels = z.record(z.string(), z.string());

export const alertmanagerPayload = z.object({
  version: z.literal('4'),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  /** The Alertmanager group the notification is for: its alerts join one incident. */
  groupKey: z.string().max(2_000).optional(),
  commonLabels: labels.default({}),
  alerts: z
    .array(
      z.object({
        status: z.enum(['firing', 'resolved']),
        labels,
        annotations: labels.default({}),
        startsAt: z.coerce.date(),
        endsAt: z.string().optional(),
        generatorURL: z.string().optional(),
        fingerprint: z.string().min(1).max(64),
      }),
    )
    .min(1)
    .max(500),
});

export type AlertmanagerPayload = z.infer<typeof alertmanagerPayload>;
export type Alert = AlertmanagerPayload['alerts'][number];

/** The first route whose `match` labels the alert all carries, with the same values. */
export function routeFor<R extends { match: Record<string, string> }>(
  routes: readonly R[],
  alertLabels: Record<string, string>,
): R | undefined {
  return routes.find((route) => Object.entries(route.match).every(([name, value]) => alertLabels[name] === value));
}

/** The incident summary: the alert's name and its summary (or description) annotation. */
export function alertSummary(alert: Alert): string {
  const name = alert.labels.alertname ?? 'alert';
  const text = alert.annotations.summary ?? alert.annotations.description ?? '';
  return truncate(cleanText(`Alertmanager: ${name}${text ? `: ${text}` : ''}`), MAX_SUMMARY);
}

/**
 * Which incident-sharing group an alert belongs to: its Alertmanager group and
 * the playbook its route opens (alerts of one group routed to different
 * playbooks are different incidents); without a groupKey, the playbook alone.
 */
export function alertGroupKey(groupKey: string | undefined, playbook: string): string {
  return groupKey ? `am:${playbook}:${groupKey}` : `route:${playbook}`;
}

/** Tallies alert names for a summary line: `RedisDown` ×10, `HighCPU` ×2, most first. */
export function tallyNames(names: readonly string[]): Array<{ name: string; count: number }> {
  return mergeTallies([names.map((name) => ({ name, count: 1 }))]);
}

/** Several tallies as one (the lines of batches that waited for one thread, said as one), most frequent first. */
export function mergeTallies(
  tallies: ReadonlyArray<ReadonlyArray<{ name: string; count: number }>>,
): Array<{ name: string; count: number }> {
  const counts = new Map<string, number>();
  for (const { name, count } of tallies.flat()) counts.set(name, (counts.get(name) ?? 0) + count);
  return [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}
