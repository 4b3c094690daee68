import type { Incident } from '../../domain/incident.js';
import { levelOf } from '../../domain/escalation.js';
import { severityLabel } from '../../domain/severity.js';
import { timelineEvent } from '../../domain/timeline.js';
import type { IncidentFacts, UpdateReason } from '../../notify/messages.js';
import { statusUpdate } from '../../notify/messages.js';
import type { Transaction } from '../../store/db.js';
import { type NewWork, scheduleWork } from '../../store/work.js';
import type { AppDeps } from '../deps.js';
import { newWork } from './payloads.js';

export function factsOf(incident: Incident): IncidentFacts {
  const level = incident.escalationPolicy ? levelOf(incident.escalationPolicy, incident.escalationLevel) : undefined;
  return {
    kind: incident.kind,
    key: incident.key,
    title: incident.title,
    severityLabel: severityLabel(incident.severity),
    status: incident.status,
    level: incident.escalationLevel,
    ...(level ? { levelName: level.name } : {}),
    commander: incident.commander,
    channelId: incident.channelId,
    summary: incident.summary,
    symptom: incident.playbook.symptom,
  };
}

/** The stakeholder groups of an incident: the playbook's and its severity's. */
export function stakeholderGroups(deps: Pick<AppDeps, 'config'>, incident: Incident): string[] {
  return [
    ...new Set([...incident.playbook.notify, ...(deps.config.stakeholders.by_severity[incident.severity] ?? [])]),
  ];
}

/**
 * Schedules one status update to every stakeholder channel and person, in
 * the same transaction as the change it reports. Each destination is a lane:
 * its updates go out in order, in one thread per incident.
 */
export async function enqueueStatusUpdate(
  tx: Transaction,
  deps: Pick<AppDeps, 'config'>,
  incident: Incident,
  reason: UpdateReason,
  at: Date,
): Promise<number> {
  const next = new Date(at.getTime() + deps.config.stakeholders.update_every);
  const message = statusUpdate(factsOf(incident), reason, next);
  const work: NewWork[] = [];
  const seen = new Set<string>();
  for (const group of stakeholderGroups(deps, incident)) {
    const spec = deps.config.stakeholders.groups[group];
    for (const to of [...(spec?.channels ?? []), ...(spec?.users ?? [])]) {
      if (seen.has(to)) continue;
      seen.add(to);
      work.push(
        newWork(
          'deliver',
          {
            to,
            thread: 'stakeholder',
            message,
            record: timelineEvent('notification.sent', { reason: reason.kind, group, to }),
            meets: 'stakeholders_notified',
          },
          { incidentId: incident.id, dueAt: at, lane: `notify:${incident.id}:${to}` },
        ),
      );
    }
  }
  return scheduleWork(tx, work, at);
}
