import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimelineSpool } from '../../src/app/spool.js';
import { silentLogger } from '../../src/log.js';
import type { Database } from '../../src/store/db.js';
import { insertIncident } from '../../src/store/incidents.js';
import { readTimeline } from '../../src/store/timeline.js';
import { type TestDatabase, createTestDatabase } from '../support/db.js';
import { captureLogs } from '../support/logs.js';
import { testPlaybook } from '../support/playbooks.js';

/** The database, unreachable until `up` is set. */
function flaky(db: Database): Database & { up: boolean } {
  const wrapper = {
    up: false,
    kind: db.kind,
    query: (...args: Parameters<Database['query']>) =>
      wrapper.up ? db.query(...args) : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
    transaction: db.transaction.bind(db),
    close: db.close.bind(db),
  };
  return wrapper as Database & { up: boolean };
}

describe('the timeline spool', () => {
  let test: TestDatabase;
  let incidentId: number;
  beforeAll(async () => {
    test = await createTestDatabase('postgres');
    ({
      incident: { id: incidentId },
    } = await insertIncident(test.db, {
      playbook: testPlaybook(),
      title: 't',
      summary: '',
      severity: 'sev2',
      openedBy: 'U1',
      openedAt: new Date(),
    }));
  });
  afterAll(() => test.drop());

  const event = (n: number) => ({
    incidentId,
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, n)),
    actor: 'system',
    kind: 'action.finished' as const,
    data: { n },
  });

  it('keeps events while PostgreSQL is down, in a file, and writes them in order when it answers again, even after a restart', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'spool-')), 'timeline-spool.jsonl');
    const db = flaky(test.db);
    const spool = new TimelineSpool(db, file, silentLogger, 60_000);
    await spool.record(event(1));
    await spool.record(event(2), event(3));
    expect(spool.size).toBe(3);
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(3);
    spool.stop();

    // The process restarts; the database is back.
    db.up = true;
    const restarted = new TimelineSpool(db, file, silentLogger, 60_000);
    expect(restarted.size).toBe(3);
    await restarted.record(event(4)); // queued behind the others, to keep the order
    await restarted.flush();
    restarted.stop();
    expect(restarted.size).toBe(0);
    expect(await readFile(file, 'utf8')).toBe('');
    const written = (await readTimeline(test.db, incidentId))
      .filter((e) => e.kind === 'action.finished')
      .map((e) => e.data.n);
    expect(written).toEqual([1, 2, 3, 4]);
  });

  it('writes an event once when its insert committed but the answer was lost', async () => {
    // The connection drops after the commit: the statement took effect, the caller saw an error.
    let lose = 1;
    const lossy: Database = {
      kind: test.db.kind,
      query: async (...args: Parameters<Database['query']>) => {
        const result = await test.db.query(...args);
        if (lose-- > 0) throw new Error('Connection terminated unexpectedly');
        return result as never;
      },
      transaction: test.db.transaction.bind(test.db),
      close: test.db.close.bind(test.db),
    };
    const spool = new TimelineSpool(lossy, undefined, silentLogger, 60_000);
    await spool.record(event(20), event(21));
    expect(spool.size).toBe(2);
    await spool.flush();
    spool.stop();
    expect(spool.size).toBe(0);
    const written = (await readTimeline(test.db, incidentId)).map((e) => e.data.n).filter((n) => n === 20 || n === 21);
    expect(written).toEqual([20, 21]);
  });

  it('writes at once when the database answers', async () => {
    const spool = new TimelineSpool(test.db, undefined, silentLogger);
    await spool.record(event(10));
    expect(spool.size).toBe(0);
    expect((await readTimeline(test.db, incidentId)).some((e) => e.data.n === 10)).toBe(true);
  });

  it('Will not start: skips a torn last line and a line that is not an event, naming the file and line, and replays the rest', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'spool-')), 'timeline-spool.jsonl');
    const good = (n: number) => JSON.stringify({ ...event(30 + n), key: crypto.randomUUID() });
    const torn = good(3).slice(0, 25);
    await writeFile(file, `${good(1)}\n${JSON.stringify({ kind: 'action.finished', data: 7 })}\n${good(2)}\n${torn}`);
    const logs = captureLogs('warn');
    const spool = new TimelineSpool(test.db, file, logs.log, 60_000);
    expect(spool.size).toBe(2);
    const skipped = logs.lines().filter((l) => String(l.msg).startsWith('timeline spool: skipped'));
    expect(skipped.map((l) => [l.file, l.line])).toEqual([
      [file, 2],
      [file, 4],
    ]);
    await spool.flush();
    spool.stop();
    expect(spool.size).toBe(0);
    const written = (await readTimeline(test.db, incidentId)).map((e) => e.data.n).filter((n) => Number(n) > 30);
    expect(written).toEqual([31, 32]);
  });

  it("keeps a run's end with its action.finished event through a restart, and writes both in one transaction", async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'spool-')), 'timeline-spool.jsonl');
    const { rows } = await test.db.query<{ id: number }>(
      `INSERT INTO action_runs (incident_id, action, idempotency_key, state, dry_run, plan, requested_by, requested_at, started_at)
       VALUES ($1, 'redis-rollback', 'spool-run', 'running', false, 'rollback', 'U1', now(), now()) RETURNING id`,
      [incidentId],
    );
    const runId = rows[0]!.id;
    const down: Database = {
      kind: test.db.kind,
      query: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
      transaction: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
      close: test.db.close.bind(test.db),
    };
    const at = new Date(Date.UTC(2026, 0, 1, 1));
    const spool = new TimelineSpool(down, file, silentLogger, 60_000);
    const recorded = await spool.record({
      ...event(40),
      run: { id: runId, outcome: 'succeeded', at, output: 'rolled back', exitCode: 0 },
    });
    spool.stop();
    expect(recorded).toBe('spooled');

    const restarted = new TimelineSpool(test.db, file, silentLogger, 60_000);
    await restarted.flush();
    restarted.stop();
    const run = await test.db.query<{ state: string; output: string; finished_at: Date }>(
      'SELECT state, output, finished_at FROM action_runs WHERE id = $1',
      [runId],
    );
    expect(run.rows[0]).toMatchObject({ state: 'succeeded', output: 'rolled back', finished_at: at });
    expect((await readTimeline(test.db, incidentId)).filter((e) => e.data.n === 40)).toHaveLength(1);
  });
});
