import { type Incident, type IncidentStatus, type RunKind, statusesBefore } from '../domain/incident.js';
import type { Severity } from '../domain/severity.js';
import type { NewTimelineEvent, TimelineEvent, TimelineKind } from '../domain/timeline.js';
import type { EscalationPolicy } from '../config/escalation.js';
import type { Playbook } from '../playbooks/schema.js';
import { type Database, type Queryable, type Transaction, atomically, onlyRow } from './db.js';
import { claimRequest } from './requests.js';
import { COLUMNS, I_COLUMNS, type IncidentRow, toIncident } from './incidentRow.js';
import { appendTimelineEvent } from './timeline.js';

/** The outcome of a guarded change: `changed` is false when the guard held it back. */
export type Change =
  | { changed: true; incident: Incident; event: TimelineEvent }
  | { changed: false; incident: Incident; duplicate?: boolean };

export interface NewIncident {
  playbook: Playbook;
  title: string;
  summary: string;
  severity: Severity;
  openedBy: string;
  openedAt: Date;
  channelId?: string | null;
  /** The Slack request that asked for it: a retry of the same request opens nothing. */
  requestKey?: string;
  /** The escalation policy in force, snapshotted with the incident, and the level it starts at (default 1). */
  escalation?: { name: string; policy: EscalationPolicy; startLevel?: number };
  /** A change (key CHG-n, first event `change.started`); default an incident. */
  kind?: RunKind;
}

export class DuplicateRequestError extends Error {
  constructor(readonly requestKey: string) {
    super(`request ${requestKey} was already handled`);
  }
}

/** Opens an incident and writes its first timeline event, in one transaction. */
export async function insertIncident(
  q: Database | Transaction,
  input: NewIncident,
): Promise<{ incident: Incident; event: TimelineEvent }> {
  return atomically(q, async (tx) => {
    if (input.requestKey && !(await claimRequest(tx, input.requestKey, input.openedAt)))
      throw new DuplicateRequestError(input.requestKey);
    const { rows } = await tx.query<IncidentRow>(
      `INSERT INTO incidents (playbook_id, title, summary, severity, commander, opened_by, opened_at, channel_id,
                              playbook, escalation_policy_name, escalation_policy, escalation_level, kind, number)
       VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10, $11, $12,
               CASE WHEN $12 = 'change' THEN nextval('change_number_seq') ELSE nextval('incident_number_seq') END)
       RETURNING ${COLUMNS}`,
      [
        input.playbook.id,
        input.title,
        input.summary,
        input.severity,
        input.openedBy,
        input.openedAt,
        input.channelId ?? null,
        JSON.stringify(input.playbook),
        input.escalation?.name ?? null,
        input.escalation ? JSON.stringify(input.escalation.policy) : null,
        input.escalation?.startLevel ?? 1,
        input.kind ?? 'incident',
      ],
    );
    const incident = toIncident(onlyRow(rows));
    const event = await appendTimelineEvent(tx, {
      incidentId: incident.id,
      occurredAt: input.openedAt,
      actor: input.openedBy,
      kind: incident.kind === 'change' ? 'change.started' : 'incident.opened',
      data: {
        key: incident.key,
        playbook: incident.playbookId,
        title: incident.title,
        summary: incident.summary,
        severity: incident.severity,
      },
    });
    return { incident, event };
  });
}

export async function getIncident(q: Queryable, id: number): Promise<Incident | undefined> {
  const { rows } = await q.query<IncidentRow>(`SELECT ${COLUMNS} FROM incidents WHERE id = $1`, [id]);
  return rows[0] && toIncident(rows[0]);
}

/** Reads an incident and locks its row until the transaction ends: the fence of a scheduled escalation. */
export async function lockIncident(tx: Transaction, id: number): Promise<Incident | undefined> {
  const { rows } = await tx.query<IncidentRow>(`SELECT ${COLUMNS} FROM incidents WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] && toIncident(rows[0]);
}

export async function findIncidentByKey(q: Queryable, key: string): Promise<Incident | undefined> {
  const { rows } = await q.query<IncidentRow>(`SELECT ${COLUMNS} FROM incidents WHERE key = $1`, [key.toUpperCase()]);
  return rows[0] && toIncident(rows[0]);
}

/** The incidents whose live message is in a channel, open ones first, newest first. */
export async function listIncidentsByChannel(q: Queryable, channelId: string, limit = 10): Promise<Incident[]> {
  const { rows } = await q.query<IncidentRow>(
    `SELECT ${COLUMNS} FROM incidents WHERE channel_id = $1 ORDER BY (status <> 'resolved') DESC, opened_at DESC, id DESC LIMIT $2`,
    [channelId, limit],
  );
  return rows.map(toIncident);
}

export async function listOpenIncidents(q: Queryable, limit = 100): Promise<Incident[]> {
  const { rows } = await q.query<IncidentRow>(
    `SELECT ${COLUMNS} FROM incidents WHERE status <> 'resolved' ORDER BY opened_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return rows.map(toIncident);
}

/** Where the live message lives, once Slack has answered. */
export async function setIncidentMessage(
  q: Queryable,
  id: number,
  channelId: string,
  messageTs: string,
): Promise<void> {
  await q.query('UPDATE incidents SET channel_id = $2, message_ts = $3 WHERE id = $1', [id, channelId, messageTs]);
}

interface ChangeBase {
  incidentId: number;
  actor: string;
  at: Date;
  data?: Record<string, unknown>;
  requestKey?: string;
}

/**
 * Runs one guarded UPDATE and, when it changed a row, writes its event. The
 * guard lives in the WHERE clause, so two people changing the same incident
 * at once serialise on the row and the second sees the first's result.
 */
async function guardedChange(
  q: Database | Transaction,
  base: ChangeBase,
  kind: TimelineKind,
  update: (tx: Transaction) => Promise<{ row?: IncidentRow; data?: Record<string, unknown> }>,
): Promise<Change> {
  const current = async (tx: Transaction) => {
    const incident = await getIncident(tx, base.incidentId);
    if (!incident) throw new Error(`incident ${base.incidentId} does not exist`);
    return incident;
  };
  return atomically(q, async (tx) => {
    if (base.requestKey && !(await claimRequest(tx, base.requestKey, base.at)))
      return { changed: false, duplicate: true, incident: await current(tx) };
    const { row, data } = await update(tx);
    if (!row) return { changed: false, incident: await current(tx) };
    const event: NewTimelineEvent = {
      incidentId: base.incidentId,
      occurredAt: base.at,
      actor: base.actor,
      kind,
      data: { ...data, ...base.data },
    };
    return { changed: true, incident: toIncident(row), event: await appendTimelineEvent(tx, event) };
  });
}

/** Ends an open change (completed or aborted): resolved, so every clock stops as an incident's does. */
export function endChange(
  q: Database | Transaction,
  change: ChangeBase & { how: 'change.completed' | 'change.aborted' },
): Promise<Change> {
  return guardedChange(q, change, change.how, async (tx) => {
    const { rows } = await tx.query<IncidentRow>(
      `UPDATE incidents SET status = 'resolved', resolved_at = $2, version = version + 1
        WHERE id = $1 AND kind = 'change' AND status <> 'resolved'
        RETURNING ${COLUMNS}`,
      [change.incidentId, change.at],
    );
    return { row: rows[0], data: {} };
  });
}

const STATUS_EVENT: Record<Exclude<IncidentStatus, 'open'>, TimelineKind> = {
  acknowledged: 'incident.acknowledged',
  mitigated: 'incident.mitigated',
  resolved: 'incident.resolved',
};

export function changeStatus(
  q: Database | Transaction,
  change: ChangeBase & { to: Exclude<IncidentStatus, 'open'> },
): Promise<Change> {
  return guardedChange(q, change, STATUS_EVENT[change.to], async (tx) => {
    const { rows } = await tx.query<IncidentRow & { previous: IncidentStatus }>(
      `WITH b AS (SELECT id, status FROM incidents WHERE id = $1 FOR UPDATE)
       UPDATE incidents i SET
         status = $2,
         acknowledged_at = CASE WHEN $2 = 'acknowledged' THEN $3 ELSE i.acknowledged_at END,
         mitigated_at = CASE WHEN $2 = 'mitigated' THEN $3 ELSE i.mitigated_at END,
         resolved_at = CASE WHEN $2 = 'resolved' THEN $3 ELSE i.resolved_at END,
         version = i.version + 1
       FROM b WHERE i.id = b.id AND b.status = ANY($4::text[])
       RETURNING ${I_COLUMNS}, b.status AS previous`,
      [change.incidentId, change.to, change.at, statusesBefore(change.to)],
    );
    return { row: rows[0], data: rows[0] && { from: rows[0].previous, to: change.to } };
  });
}

export function changeSeverity(
  q: Database | Transaction,
  change: ChangeBase & { severity: Severity },
): Promise<Change> {
  return guardedChange(q, change, 'incident.severity_changed', async (tx) => {
    const { rows } = await tx.query<IncidentRow & { previous: Severity }>(
      `WITH b AS (SELECT id, severity FROM incidents WHERE id = $1 FOR UPDATE)
       UPDATE incidents i SET severity = $2, version = i.version + 1
       FROM b WHERE i.id = b.id AND b.severity <> $2 AND i.status <> 'resolved'
       RETURNING ${I_COLUMNS}, b.severity AS previous`,
      [change.incidentId, change.severity],
    );
    return { row: rows[0], data: rows[0] && { from: rows[0].previous, to: change.severity } };
  });
}

/** Moves the escalation level; `onlyFrom` fences a scheduled escalation to the level it was planned from. */
export function changeEscalationLevel(
  q: Database | Transaction,
  change: ChangeBase & { level: number; onlyFrom?: number; cycle?: number },
): Promise<Change> {
  return guardedChange(q, change, 'incident.escalated', async (tx) => {
    const { rows } = await tx.query<IncidentRow & { previous: number }>(
      `WITH b AS (SELECT id, escalation_level, escalation_cycle FROM incidents WHERE id = $1 FOR UPDATE)
       UPDATE incidents i SET escalation_level = $2, escalation_cycle = coalesce($4, i.escalation_cycle), version = i.version + 1
       FROM b WHERE i.id = b.id AND i.status <> 'resolved'
         AND (b.escalation_level <> $2 OR b.escalation_cycle <> coalesce($4, b.escalation_cycle))
         AND ($3::int IS NULL OR b.escalation_level = $3)
       RETURNING ${I_COLUMNS}, b.escalation_level AS previous`,
      [change.incidentId, change.level, change.onlyFrom ?? null, change.cycle ?? null],
    );
    return { row: rows[0], data: rows[0] && { from: rows[0].previous, to: change.level } };
  });
}

export function changeCommander(
  q: Database | Transaction,
  change: ChangeBase & { commander: string },
): Promise<Change> {
  return guardedChange(q, change, 'incident.commander_changed', async (tx) => {
    const { rows } = await tx.query<IncidentRow & { previous: string }>(
      `WITH b AS (SELECT id, commander FROM incidents WHERE id = $1 FOR UPDATE)
       UPDATE incidents i SET commander = $2, version = i.version + 1
       FROM b WHERE i.id = b.id AND b.commander <> $2 AND i.status <> 'resolved'
       RETURNING ${I_COLUMNS}, b.commander AS previous`,
      [change.incidentId, change.commander],
    );
    return { row: rows[0], data: rows[0] && { from: rows[0].previous, to: change.commander } };
  });
}
