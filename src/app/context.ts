import { notFound, refused } from '../errors.js';
import type { Incident } from '../domain/incident.js';
import type { Queryable } from '../store/db.js';
import { findIncidentByKey, getIncident, listIncidentsByChannel } from '../store/incidents.js';

/**
 * The incident a command is about: the key it names, or the one whose channel
 * it was typed in. Several open incidents in one channel must be named.
 * Unchecked: a person's request resolves its incident through `incidentFor`
 * in access.ts, which asks whether they may; this is for the system's own paths.
 */
export async function findIncident(
  db: Queryable,
  where: { key?: string; channelId?: string; incidentId?: number },
): Promise<Incident> {
  if (where.incidentId !== undefined) {
    const incident = await getIncident(db, where.incidentId);
    if (!incident) throw notFound('That incident no longer exists.');
    return incident;
  }
  if (where.key) {
    const incident = await findIncidentByKey(db, where.key);
    if (!incident) throw refused({ kind: 'no-incident', key: where.key });
    return incident;
  }
  if (where.channelId) {
    const here = await listIncidentsByChannel(db, where.channelId, 5);
    const live = here.filter((i) => i.status !== 'resolved');
    // One open incident is the one meant; with none open, the latest (to read its timeline or report).
    const meant = live.length === 1 ? live[0] : live.length === 0 ? here[0] : undefined;
    if (meant) return meant;
    if (live.length > 1) throw refused({ kind: 'many-incidents-here', keys: live.map((i) => i.key) });
  }
  throw refused({ kind: 'no-incident-here' });
}
