import type { Queryable } from './db.js';

export interface AlertIncident {
  incidentId: number;
  alertname: string;
  resolvedAt: Date | null;
}

interface Row {
  incident_id: string | number;
  alertname: string;
  resolved_at: Date | null;
}

const toLink = (row: Row): AlertIncident => ({
  incidentId: Number(row.incident_id),
  alertname: row.alertname,
  resolvedAt: row.resolved_at,
});

/** The incident an alert (one firing: fingerprint and start) opened, if any. */
export async function findAlertIncident(
  q: Queryable,
  fingerprint: string,
  startsAt: Date,
): Promise<AlertIncident | undefined> {
  const { rows } = await q.query<Row>(
    'SELECT incident_id, alertname, resolved_at FROM alert_incidents WHERE fingerprint = $1 AND starts_at = $2',
    [fingerprint, startsAt],
  );
  return rows[0] ? toLink(rows[0]) : undefined;
}

/** Links an alert's firing to its incident; false when it was already linked (a repeat, another replica). */
export async function linkAlertIncident(
  q: Queryable,
  fingerprint: string,
  startsAt: Date,
  incidentId: number,
  alertname: string,
): Promise<boolean> {
  const { rowCount } = await q.query(
    'INSERT INTO alert_incidents (fingerprint, starts_at, incident_id, alertname) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
    [fingerprint, startsAt, incidentId, alertname],
  );
  return rowCount > 0;
}

/** Marks the alert resolved; answers its incident only the first time, so the resolution is said once. */
export async function resolveAlertIncident(
  q: Queryable,
  fingerprint: string,
  startsAt: Date,
  at: Date,
): Promise<AlertIncident | undefined> {
  const { rows } = await q.query<Row>(
    `UPDATE alert_incidents SET resolved_at = $3
      WHERE fingerprint = $1 AND starts_at = $2 AND resolved_at IS NULL
      RETURNING incident_id, alertname, resolved_at`,
    [fingerprint, startsAt, at],
  );
  return rows[0] ? toLink(rows[0]) : undefined;
}

/**
 * Serialises alert openings across replicas until the transaction ends: the
 * group's open incident and the count of new incidents are read under it.
 */
export async function lockAlertOpening(q: Queryable): Promise<void> {
  await q.query(`SELECT pg_advisory_xact_lock(hashtext('incidentbot.alert-open:' || current_schema()))`);
}

/** The open incident a group's alerts join, if any; `folded` when the group is there because of the cap. */
export async function findOpenGroupIncident(
  q: Queryable,
  groupKey: string,
): Promise<{ incidentId: number; folded: boolean } | undefined> {
  const { rows } = await q.query<{ incident_id: string | number; opened: boolean }>(
    `SELECT g.incident_id, g.opened FROM alert_groups g JOIN incidents i ON i.id = g.incident_id
      WHERE g.group_key = $1 AND i.status <> 'resolved'
      ORDER BY g.created_at DESC, g.incident_id DESC LIMIT 1`,
    [groupKey],
  );
  return rows[0] ? { incidentId: Number(rows[0].incident_id), folded: !rows[0].opened } : undefined;
}

/** How many incidents alerts opened since `since` (the cap's window). */
export async function countAlertOpenings(q: Queryable, since: Date): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM alert_groups WHERE opened AND created_at > $1',
    [since],
  );
  return rows[0]?.n ?? 0;
}

/** The newest incident an alert opened that is still open: where the excess is folded. */
export async function newestOpenAlertIncident(q: Queryable): Promise<number | undefined> {
  const { rows } = await q.query<{ incident_id: string | number }>(
    `SELECT g.incident_id FROM alert_groups g JOIN incidents i ON i.id = g.incident_id
      WHERE g.opened AND i.status <> 'resolved'
      ORDER BY g.created_at DESC, g.incident_id DESC LIMIT 1`,
  );
  return rows[0] ? Number(rows[0].incident_id) : undefined;
}

export async function recordAlertGroup(
  q: Queryable,
  groupKey: string,
  incidentId: number,
  opened: boolean,
  at: Date,
): Promise<void> {
  await q.query(
    'INSERT INTO alert_groups (group_key, incident_id, opened, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
    [groupKey, incidentId, opened, at],
  );
}
