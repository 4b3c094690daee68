import type { Incident } from '../domain/incident.js';
import { type Queryable, onlyRow } from './db.js';
import { getIncident } from './incidents.js';

/** How far the placing of an incident got: each step's result (migration 006). */
export interface Placement {
  channelId: string | null;
  /** The channel name the last conversations.create asked for (migration 011). */
  channelAsked: string | null;
  messageTs: string | null;
  invitedAt: Date | null;
  pinnedAt: Date | null;
  placedAt: Date | null;
}

export async function readPlacement(q: Queryable, id: number): Promise<Placement | undefined> {
  const { rows } = await q.query<{
    channel_id: string | null;
    channel_asked: string | null;
    message_ts: string | null;
    invited_at: Date | null;
    pinned_at: Date | null;
    placed_at: Date | null;
  }>('SELECT channel_id, channel_asked, message_ts, invited_at, pinned_at, placed_at FROM incidents WHERE id = $1', [
    id,
  ]);
  const row = rows[0];
  if (!row) return undefined;
  const date = (d: Date | null) => (d === null ? null : new Date(d));
  return {
    channelId: row.channel_id,
    channelAsked: row.channel_asked,
    messageTs: row.message_ts,
    invitedAt: date(row.invited_at),
    pinnedAt: date(row.pinned_at),
    placedAt: date(row.placed_at),
  };
}

/** Before conversations.create is asked for `name`: a retry that finds it unmarked knows it asked for it. */
export async function recordChannelAsked(q: Queryable, id: number, name: string): Promise<void> {
  await q.query('UPDATE incidents SET channel_asked = $2 WHERE id = $1', [id, name]);
}

/** Records the incident's channel, unless it has one already; answers the channel it has. */
export async function recordChannel(q: Queryable, id: number, channelId: string): Promise<string> {
  const { rows } = await q.query<{ channel_id: string }>(
    `UPDATE incidents SET channel_id = coalesce(channel_id, $2) WHERE id = $1 RETURNING channel_id`,
    [id, channelId],
  );
  return onlyRow(rows).channel_id;
}

/** Records the live message, unless one is recorded already; answers the one recorded. */
export async function recordMessage(q: Queryable, id: number, messageTs: string): Promise<string> {
  const { rows } = await q.query<{ message_ts: string }>(
    `UPDATE incidents SET message_ts = coalesce(message_ts, $2) WHERE id = $1 RETURNING message_ts`,
    [id, messageTs],
  );
  return onlyRow(rows).message_ts;
}

export async function recordInvited(q: Queryable, id: number, at: Date): Promise<void> {
  await q.query('UPDATE incidents SET invited_at = coalesce(invited_at, $2) WHERE id = $1', [id, at]);
}

export async function recordPinned(q: Queryable, id: number, at: Date): Promise<void> {
  await q.query('UPDATE incidents SET pinned_at = coalesce(pinned_at, $2) WHERE id = $1', [id, at]);
}

/** Marks the incident placed; false when it already was (the step ran before). */
export async function recordPlaced(q: Queryable, id: number, at: Date): Promise<boolean> {
  const { rowCount } = await q.query('UPDATE incidents SET placed_at = $2 WHERE id = $1 AND placed_at IS NULL', [
    id,
    at,
  ]);
  return rowCount === 1;
}

/**
 * The newest open incident of a playbook, opened since `since`, that is not placed yet and whose place work has
 * already been put back at least once (Slack failed it): not one whose first attempt is still running.
 */
export async function findUnplacedIncident(
  q: Queryable,
  playbookId: string,
  since: Date,
): Promise<Incident | undefined> {
  const { rows } = await q.query<{ id: number }>(
    `SELECT id FROM incidents
      WHERE playbook_id = $1 AND placed_at IS NULL AND status <> 'resolved' AND opened_at >= $2
        AND EXISTS (SELECT 1 FROM scheduled_work w
                     WHERE w.dedupe_key = 'place:' || incidents.id AND w.done_at IS NULL AND w.outcome IS NOT NULL)
      ORDER BY opened_at DESC, id DESC LIMIT 1`,
    [playbookId, since],
  );
  return rows[0] ? getIncident(q, Number(rows[0].id)) : undefined;
}

/** How many incidents were opened in the `withinMs` before this one (the storm rule counts them). */
export async function countOpenedBefore(q: Queryable, id: number, withinMs: number): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM incidents o, incidents i
      WHERE i.id = $1 AND o.id <> i.id
        AND o.opened_at > i.opened_at - make_interval(secs => $2::double precision / 1000)
        AND (o.opened_at, o.id) < (i.opened_at, i.id)`,
    [id, withinMs],
  );
  return rows[0]?.n ?? 0;
}

/** How many incidents were opened in the `withinMs` up to `now`: the storm has passed when few were. */
export async function countOpenedSince(q: Queryable, now: Date, withinMs: number): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM incidents
      WHERE opened_at > $1::timestamptz - make_interval(secs => $2::double precision / 1000) AND opened_at <= $1`,
    [now, withinMs],
  );
  return rows[0]?.n ?? 0;
}

/** Moves an incident out of the storm channel to its own channel and live message; false when it had moved. */
export async function recordMove(
  q: Queryable,
  id: number,
  from: { channelId: string; messageTs: string },
  to: { channelId: string; messageTs: string; at: Date },
): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE incidents SET channel_id = $4, message_ts = $5, invited_at = $6, pinned_at = $6
      WHERE id = $1 AND channel_id = $2 AND message_ts = $3`,
    [id, from.channelId, from.messageTs, to.channelId, to.messageTs, to.at],
  );
  return rowCount === 1;
}
