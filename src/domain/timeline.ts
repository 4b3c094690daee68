/**
 * The kinds of timeline event. Operators build dashboards on
 * `timeline_events.kind`: add kinds, never rename them.
 */
export const TIMELINE_KINDS = [
  'incident.opened',
  'incident.acknowledged',
  'incident.mitigated',
  'incident.resolved',
  'incident.severity_changed',
  'incident.commander_changed',
  'incident.escalated',
  'note.added',
  'step.done',
  'step.skipped',
  'step.failed',
  'step.started',
  'step.requested',
  'check.result',
  'token.refreshed',
  'token.refresh_failed',
  'escalation.paged',
  'escalation.stopped',
  'deadline.reminded',
  'deadline.met',
  'deadline.missed',
  'notification.sent',
  'notification.failed',
  'action.requested',
  'action.refused',
  'action.approved',
  'action.denied',
  'action.expired',
  'action.started',
  'action.finished',
  'action.interrupted',
  'action.cancelled',
  'report.posted',
  'timeline.viewed',
  'alert.resolved',
  'access.refused',
  'alert.joined',
  'incident.placed',
  'incident.place_failed',
] as const;

export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const SYSTEM_ACTOR = 'system';

export interface TimelineEvent {
  id: number;
  incidentId: number;
  occurredAt: Date;
  actor: string;
  kind: TimelineKind;
  data: Record<string, unknown>;
}

export type NewTimelineEvent = Omit<TimelineEvent, 'id'>;
