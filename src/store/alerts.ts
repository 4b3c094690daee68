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

export async function linkAlertIncident(
  q: Queryable,
  fingerprint: string,
  startsAt: Date,
  incidentId: number,
  alertname: string,
): Promise<void> {
  await q.query(
    'INSERT INTO alert_incidents (fingerprint, starts_at, incident_id, alertname) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
    [fingerprint, startsAt, incidentId, alertname],
  );
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
