import pg from 'pg';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import type { Queryable } from '../../src/store/db.js';
import { insertIncident } from '../../src/store/incidents.js';
import { appendTimelineEvent } from '../../src/store/timeline.js';
import type { BenchContext } from '../support/context.js';
import { createDatabase } from '../support/env.js';
import { type ScenarioOutcome, atLeast, round } from '../support/figures.js';
import { ADA, PLAYBOOKS_DIR } from '../support/stack.js';

const WRITERS = [1, 8, 32];
const POOL_SIZE = 10;
const RAW_INSERT =
  'INSERT INTO timeline_events (incident_id, occurred_at, actor, kind, data) VALUES ($1, $2, $3, $4, $5)';

type Append = (incidentId: number, n: number) => Promise<unknown>;
/** Which measurement each figure takes. */
const FIGURES_ARE = 'events/s is the best writer count, the ratio the worst';

/**
 * Timeline appends through the store (`appendTimelineEvent`) with 1, 8 and
 * 32 concurrent writers, against a raw parameterised INSERT loop into the
 * same table over a pool of the same size, in the same run. Runs alternate
 * raw, store, store, raw so a growing table favours neither.
 */
export async function timelineScenario(ctx: BenchContext): Promise<ScenarioOutcome> {
  const database = await createDatabase(ctx.env, 'timeline');
  const db = await database.connect(POOL_SIZE);
  const raw = ctx.env.databaseUrl
    ? new pg.Pool({
        connectionString: ctx.env.databaseUrl,
        max: POOL_SIZE,
        ...(database.schema ? { options: `-c search_path=${database.schema}` } : {}),
      })
    : undefined;
  try {
    const { playbooks } = await loadPlaybooks(PLAYBOOKS_DIR);
    const playbook = playbooks.find((p) => p.id === 'auth-401')!;
    const incidents: number[] = [];
    for (let i = 0; i < 32; i++) {
      const { incident } = await insertIncident(db, {
        playbook,
        title: playbook.title,
        summary: 'timeline benchmark',
        severity: playbook.severity,
        openedBy: ADA,
        openedAt: new Date(),
      });
      incidents.push(incident.id);
    }
    const data = { text: 'restarted the auth worker; watching the 401 rate', source: 'benchmark' };
    const viaStore: Append = (incidentId) =>
      appendTimelineEvent(db, { incidentId, occurredAt: new Date(), actor: ADA, kind: 'note.added', data });
    const rawQuery: Queryable['query'] = raw
      ? (text, params) =>
          raw.query(text, params as unknown[]).then((r) => ({ rows: r.rows, rowCount: r.rowCount ?? 0 }))
      : db.query.bind(db);
    const viaRaw: Append = (incidentId) =>
      rawQuery(RAW_INSERT, [incidentId, new Date(), ADA, 'note.added', JSON.stringify(data)]);

    const windowMs = ctx.quick ? 250 : 1_000;
    const pass = async (append: Append, writers: number, ms: number): Promise<number> => {
      let count = 0;
      const until = performance.now() + ms;
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          const incidentId = incidents[w % incidents.length]!;
          while (performance.now() < until) {
            await append(incidentId, count);
            count++;
          }
        }),
      );
      return count;
    };
    const rows: Array<{ writers: number; store: number; raw: number }> = [];
    for (const writers of WRITERS) {
      await pass(viaRaw, writers, windowMs / 4); // warm-up, not counted
      await pass(viaStore, writers, windowMs / 4);
      const r1 = await pass(viaRaw, writers, windowMs);
      const s1 = await pass(viaStore, writers, windowMs);
      const s2 = await pass(viaStore, writers, windowMs);
      const r2 = await pass(viaRaw, writers, windowMs);
      const perSecond = (n: number) => Math.round(n / ((2 * windowMs) / 1000));
      rows.push({ writers, store: perSecond(s1 + s2), raw: perSecond(r1 + r2) });
      ctx.progress(`${writers} writer(s): store ${perSecond(s1 + s2)}/s, raw ${perSecond(r1 + r2)}/s`);
    }
    const best = Math.max(...rows.map((r) => r.store));
    const worstRatio = Math.min(...rows.map((r) => r.store / Math.max(r.raw, 1)));
    return {
      figures: [
        atLeast('timeline_events_per_s', best, 'events/s', 2_000),
        atLeast('timeline_vs_raw_insert', round(worstRatio), '×', 0.5),
      ],
      details: [
        `pool of ${POOL_SIZE}, ${(2 * windowMs) / 1000} s per side and writer count; ${FIGURES_ARE}:`,
        ...rows.map((r) => {
          const rates = `store ${r.store.toLocaleString('en')}/s, raw INSERT ${r.raw.toLocaleString('en')}/s`;
          return `  ${String(r.writers).padStart(2)} writer(s): ${rates}, ${round(r.store / Math.max(r.raw, 1))}×`;
        }),
      ],
    };
  } finally {
    await raw?.end();
    await database.drop();
  }
}
