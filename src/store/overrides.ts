import type { Queryable } from './db.js';

/** An override as stored: who covers the schedule, when, and who made it. */
export interface StoredOverride {
  id: number;
  schedule: string;
  user: string;
  start: Date;
  end: Date;
  kind: 'override' | 'swap';
  /** Whose shift it takes over (a swap, or an override of a known person's time). */
  replaces: string | null;
  createdBy: string;
  createdAt: Date;
}

export interface NewOverride {
  schedule: string;
  user: string;
  start: Date;
  end: Date;
  kind: 'override' | 'swap';
  replaces?: string;
  createdBy: string;
  /** Unique: the same request inserts nothing the second time. */
  requestKey?: string;
}

interface OverrideRow {
  id: string;
  schedule: string;
  user_id: string;
  starts_at: Date;
  ends_at: Date;
  kind: 'override' | 'swap';
  replaces: string | null;
  created_by: string;
  created_at: Date;
}

const COLUMNS = 'id, schedule, user_id, starts_at, ends_at, kind, replaces, created_by, created_at';

const toOverride = (row: OverrideRow): StoredOverride => ({
  id: Number(row.id),
  schedule: row.schedule,
  user: row.user_id,
  start: new Date(row.starts_at),
  end: new Date(row.ends_at),
  kind: row.kind,
  replaces: row.replaces,
  createdBy: row.created_by,
  createdAt: new Date(row.created_at),
});

/** Inserts overrides; answers those inserted now and those an earlier try of the same request inserted. */
export async function insertOverrides(
  q: Queryable,
  overrides: readonly NewOverride[],
  now: Date,
): Promise<StoredOverride[]> {
  if (overrides.length === 0) return [];
  const keys = overrides.map((o) => o.requestKey ?? null);
  const { rows } = await q.query<OverrideRow>(
    `WITH inserted AS (
       INSERT INTO oncall_overrides (schedule, user_id, starts_at, ends_at, kind, replaces, created_by, request_key, created_at)
       SELECT *, $9::timestamptz FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[],
                                            $6::text[], $7::text[], $8::text[])
       ON CONFLICT (request_key) DO NOTHING
       RETURNING ${COLUMNS}
     )
     SELECT ${COLUMNS} FROM inserted
     UNION ALL
     SELECT ${COLUMNS} FROM oncall_overrides WHERE request_key = ANY($8::text[])
     ORDER BY id`,
    [
      overrides.map((o) => o.schedule),
      overrides.map((o) => o.user),
      overrides.map((o) => o.start),
      overrides.map((o) => o.end),
      overrides.map((o) => o.kind),
      overrides.map((o) => o.replaces ?? null),
      overrides.map((o) => o.createdBy),
      keys,
      now,
    ],
  );
  return rows.map(toOverride);
}

/** A schedule's overrides (not removed) that overlap [from, to), oldest first. */
export async function readOverrides(q: Queryable, schedule: string, from: Date, to: Date): Promise<StoredOverride[]> {
  const { rows } = await q.query<OverrideRow>(
    `SELECT ${COLUMNS} FROM oncall_overrides
      WHERE schedule = $1 AND removed_at IS NULL AND ends_at > $2 AND starts_at < $3
      ORDER BY id`,
    [schedule, from, to],
  );
  return rows.map(toOverride);
}

export async function findOverride(q: Queryable, id: number): Promise<StoredOverride | undefined> {
  const { rows } = await q.query<OverrideRow>(
    `SELECT ${COLUMNS} FROM oncall_overrides WHERE id = $1 AND removed_at IS NULL`,
    [id],
  );
  return rows[0] && toOverride(rows[0]);
}

/** Removes an override (the row stays, marked); undefined when there is no such override left to remove. */
export async function removeOverride(
  q: Queryable,
  id: number,
  by: string,
  at: Date,
): Promise<StoredOverride | undefined> {
  const { rows } = await q.query<OverrideRow>(
    `UPDATE oncall_overrides SET removed_at = $3, removed_by = $2
      WHERE id = $1 AND removed_at IS NULL
      RETURNING ${COLUMNS}`,
    [id, by, at],
  );
  return rows[0] && toOverride(rows[0]);
}
