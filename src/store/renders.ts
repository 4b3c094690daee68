import type { Queryable } from './db.js';

/**
 * What the live message is known to show (migration 010): the incident version of its last render that Slack
 * accepted. Never lowered: a slow render that ends after a newer one does not undo it.
 */
export async function recordRendered(q: Queryable, incidentId: number, version: number): Promise<void> {
  await q.query('UPDATE incidents SET rendered_version = greatest(coalesce(rendered_version, 0), $2) WHERE id = $1', [
    incidentId,
    version,
  ]);
}

/** Slack refuses the live message for good (it was deleted): no sweep renders this state again. */
export async function giveUpRender(q: Queryable, incidentId: number): Promise<void> {
  await q.query('UPDATE incidents SET rendered_version = version WHERE id = $1', [incidentId]);
}

/** Incidents with a live message that changed after its last good render, oldest first. */
export async function incidentsBehindTheirRender(q: Queryable): Promise<number[]> {
  const { rows } = await q.query<{ id: number }>(
    `SELECT id FROM incidents
      WHERE message_ts IS NOT NULL AND version > coalesce(rendered_version, 0)
      ORDER BY id`,
  );
  return rows.map((r) => Number(r.id));
}

/** Whether the incident's live message is behind its state (a change came while it was being placed). */
export async function isRenderBehind(q: Queryable, incidentId: number): Promise<boolean> {
  const { rows } = await q.query<{ behind: boolean }>(
    'SELECT version > coalesce(rendered_version, 0) AS behind FROM incidents WHERE id = $1',
    [incidentId],
  );
  return rows[0]?.behind ?? false;
}
