import type { EscalationPolicy } from '../config/escalation.js';
import type { Playbook } from '../playbooks/schema.js';
import type { Severity } from './severity.js';

export const INCIDENT_STATUSES = ['open', 'acknowledged', 'mitigated', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export interface Incident {
  id: number;
  number: number;
  key: string;
  playbookId: string;
  title: string;
  summary: string;
  severity: Severity;
  status: IncidentStatus;
  escalationLevel: number;
  commander: string;
  channelId: string | null;
  messageTs: string | null;
  openedBy: string;
  openedAt: Date;
  acknowledgedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  /** The playbook as it was when the incident opened. */
  playbook: Playbook;
  version: number;
  /** The escalation policy as it was when the incident opened (null: none). */
  escalationPolicy: EscalationPolicy | null;
  escalationPolicyName: string | null;
  /** How many times the policy has started over from level 1. */
  escalationCycle: number;
  /** An incident, or a change (a deployment walked through GO/NO-GO gates; key CHG-n). */
  kind: RunKind;
}

export type RunKind = 'incident' | 'change';

/**
 * The incident lifecycle as a table: which status may follow which. Every
 * status change goes through `canTransition`; nothing else decides.
 *
 *   open ──► acknowledged ──► mitigated ──► resolved
 *     └──────────┴───────────────┴────────────►┘
 */
const NEXT: Record<IncidentStatus, readonly IncidentStatus[]> = {
  open: ['acknowledged', 'mitigated', 'resolved'],
  acknowledged: ['mitigated', 'resolved'],
  mitigated: ['resolved'],
  resolved: [],
};

export function canTransition(from: IncidentStatus, to: IncidentStatus): boolean {
  return NEXT[from].includes(to);
}

/** The statuses from which `to` may be entered: the guard of a conditional UPDATE. */
export function statusesBefore(to: IncidentStatus): IncidentStatus[] {
  return INCIDENT_STATUSES.filter((from) => canTransition(from, to));
}

const VERB: Record<IncidentStatus, string> = {
  open: 'opened',
  acknowledged: 'acknowledged',
  mitigated: 'mitigated',
  resolved: 'resolved',
};

/** Why a status change did nothing, in a sentence for the person who asked. */
export function refusalOf(incident: Pick<Incident, 'key' | 'status'>, to: IncidentStatus): string {
  if (incident.status === to) return `${incident.key} is already ${VERB[to]}.`;
  if (incident.status === 'resolved') return `${incident.key} is resolved; open a new incident if the problem is back.`;
  return `${incident.key} is ${VERB[incident.status]}, so it cannot be ${VERB[to]} now.`;
}

export function isOpen(incident: Pick<Incident, 'status'>): boolean {
  return incident.status !== 'resolved';
}
