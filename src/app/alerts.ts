import { type Alert, type AlertmanagerPayload, alertSummary, routeFor } from '../domain/alerts.js';
import { SYSTEM_ACTOR } from '../domain/timeline.js';
import { findAlertIncident, linkAlertIncident, resolveAlertIncident } from '../store/alerts.js';
import { getIncident } from '../store/incidents.js';
import { appendTimelineEvent } from '../store/timeline.js';
import type { AppDeps } from './deps.js';
import { openIncident } from './openIncident.js';
import { postWhenPlaced } from './work/threadPost.js';

export interface AlertsOutcome {
  /** Keys of incidents opened now. */
  opened: string[];
  /** Firing alerts that already have their incident (Alertmanager repeats them). */
  known: number;
  /** Resolutions said in their incident now. */
  resolved: string[];
  /** Alerts no route matches, and resolutions of alerts that opened nothing. */
  ignored: number;
}

/**
 * Alertmanager's webhook: a firing alert that a route matches opens an
 * incident with the route's playbook, once per firing (its fingerprint and
 * start), however often Alertmanager repeats it and on however many
 * replicas; its resolution is said in that incident's thread and timeline,
 * once. The incident itself stays open until a person resolves it.
 */
export async function receiveAlerts(deps: AppDeps, payload: AlertmanagerPayload): Promise<AlertsOutcome> {
  const outcome: AlertsOutcome = { opened: [], known: 0, resolved: [], ignored: 0 };
  for (const alert of payload.alerts) {
    if (alert.status === 'resolved') {
      const key = await sayResolved(deps, alert);
      if (key) outcome.resolved.push(key);
      else outcome.ignored++;
      continue;
    }
    const route = routeFor(deps.config.alerts.routes, { ...payload.commonLabels, ...alert.labels });
    if (!route) {
      outcome.ignored++;
      continue;
    }
    if (await findAlertIncident(deps.db, alert.fingerprint, alert.startsAt)) {
      outcome.known++;
      continue;
    }
    const requestKey = `alert:${alert.fingerprint}:${alert.startsAt.toISOString()}`;
    const opened = await openIncident(
      deps,
      {
        playbook: route.playbook,
        summary: alertSummary(alert),
        channelId: '',
        ...(route.severity ? { severity: route.severity } : {}),
        alsoRecord: (tx, incident) =>
          linkAlertIncident(tx, alert.fingerprint, alert.startsAt, incident.id, alert.labels.alertname ?? 'alert'),
      },
      { user: SYSTEM_ACTOR, requestKey },
    );
    if (opened.kind !== 'opened') {
      outcome.known++;
      continue;
    }
    const { labels, annotations, startsAt, generatorURL } = alert;
    await postWhenPlaced(
      deps,
      opened,
      {
        kind: 'alert-firing',
        alertname: labels.alertname ?? 'alert',
        labels,
        annotations,
        startsAt,
        ...(generatorURL ? { generatorUrl: generatorURL } : {}),
      },
      'alert-firing',
    );
    outcome.opened.push(opened.incident.key);
  }
  return outcome;
}

async function sayResolved(deps: AppDeps, alert: Alert): Promise<string | undefined> {
  const at = deps.clock.now();
  const link = await deps.db.transaction(async (tx) => {
    const resolved = await resolveAlertIncident(tx, alert.fingerprint, alert.startsAt, at);
    if (resolved)
      await appendTimelineEvent(tx, {
        incidentId: resolved.incidentId,
        occurredAt: at,
        actor: SYSTEM_ACTOR,
        kind: 'alert.resolved',
        data: { alertname: resolved.alertname, fingerprint: alert.fingerprint },
      });
    return resolved;
  });
  if (!link) return undefined;
  deps.metrics.timelineEvents.inc({ kind: 'alert.resolved' });
  const incident = await getIncident(deps.db, link.incidentId);
  if (incident?.channelId && incident.messageTs) {
    await deps.slack.postInThread(incident.channelId, incident.messageTs, {
      kind: 'alert-resolved',
      alertname: link.alertname,
      incidentOpen: incident.status !== 'resolved',
    });
  }
  return incident?.key;
}
