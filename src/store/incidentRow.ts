import type { EscalationPolicy } from '../config/escalation.js';
import type { Incident, IncidentStatus, RunKind } from '../domain/incident.js';
import type { Severity } from '../domain/severity.js';
import type { Playbook } from '../playbooks/schema.js';

/** An incident's row as PostgreSQL returns it, and the incident it reads as. */
const NAMES = [
  'id',
  'number',
  'key',
  'playbook_id',
  'title',
  'summary',
  'severity',
  'status',
  'escalation_level',
  'commander',
  'channel_id',
  'message_ts',
  'opened_by',
  'opened_at',
  'acknowledged_at',
  'mitigated_at',
  'resolved_at',
  'playbook',
  'version',
  'escalation_policy',
  'escalation_policy_name',
  'escalation_cycle',
  'kind',
];
export const COLUMNS = NAMES.join(', ');
/** The columns qualified by the table alias `i`, for statements that join. */
export const I_COLUMNS = NAMES.map((n) => `i.${n}`).join(', ');

export interface IncidentRow {
  id: number;
  number: number;
  key: string;
  playbook_id: string;
  title: string;
  summary: string;
  severity: Severity;
  status: IncidentStatus;
  escalation_level: number;
  commander: string;
  channel_id: string | null;
  message_ts: string | null;
  opened_by: string;
  opened_at: Date;
  acknowledged_at: Date | null;
  mitigated_at: Date | null;
  resolved_at: Date | null;
  playbook: Playbook;
  version: number;
  escalation_policy: EscalationPolicy | null;
  escalation_policy_name: string | null;
  escalation_cycle: number;
  kind: RunKind;
}

const date = (value: Date | null) => (value === null ? null : new Date(value));

export const toIncident = (row: IncidentRow): Incident => ({
  id: Number(row.id),
  number: Number(row.number),
  key: row.key,
  playbookId: row.playbook_id,
  title: row.title,
  summary: row.summary,
  severity: row.severity,
  status: row.status,
  escalationLevel: row.escalation_level,
  commander: row.commander,
  channelId: row.channel_id,
  messageTs: row.message_ts,
  openedBy: row.opened_by,
  openedAt: new Date(row.opened_at),
  acknowledgedAt: date(row.acknowledged_at),
  mitigatedAt: date(row.mitigated_at),
  resolvedAt: date(row.resolved_at),
  playbook: row.playbook,
  version: row.version,
  escalationPolicy: row.escalation_policy ?? null,
  escalationPolicyName: row.escalation_policy_name ?? null,
  escalationCycle: row.escalation_cycle,
  kind: row.kind,
});
