import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ParsedWork, WorkHandler, WorkResult } from '../../src/app/work/types.js';
import { ManualClock } from '../../src/clock.js';
import { createMetrics } from '../../src/http/metrics.js';
import { silentLogger } from '../../src/log.js';
import { startCron } from '../../src/scheduler/cron.js';
import { dueWorkJob } from '../../src/scheduler/jobs.js';
import { BACKOFF_MS, DueWorker } from '../../src/scheduler/worker.js';
import { insertIncident } from '../../src/store/incidents.js';
import { type NewWork, scheduleWork } from '../../src/store/work.js';
import { type TestDatabase, createTestDatabase } from '../support/db.js';
import { testPlaybook } from '../support/playbooks.js';
import { until } from '../support/wait.js';

/** A promise the test settles: a handler that is slow for as long as the test says. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** The due-work worker (src/scheduler/worker.ts) with handlers of the test's own, on the real PostgreSQL. */
describe('the due-work worker', () => {
  let test: TestDatabase;
  let clock: ManualClock;
  const incidents: number[] = [];
  beforeAll(async () => {
    test = await createTestDatabase('postgres');
    for (let i = 0; i < 2; i++) {
      const { incident } = await insertIncident(test.db, {
        playbook: testPlaybook(),
        title: `incident ${i}`,
        summary: '',
        severity: 'sev2',
        openedBy: 'U0ONCALL01',
        openedAt: new Date(),
      });
      incidents.push(incident.id);
    }
  });
  afterAll(() => test.drop());
  beforeEach(async () => {
    await test.db.query('TRUNCATE scheduled_work');
    clock = new ManualClock(new Date());
  });

  /** The test's kind of work: any payload, an optional name in it. */
  const testPayload = z.looseObject({ name: z.string().optional() });
  const handler = (run: (work: ParsedWork<z.output<typeof testPayload>>) => Promise<WorkResult>): WorkHandler => ({
    payload: testPayload,
    run,
  });
  const worker = (
    handlers: Record<string, WorkHandler>,
    options: { heartbeatMs?: number; maxAttempts?: number } = {},
  ) => new DueWorker({ db: test.db, clock, log: silentLogger, metrics: createMetrics(), handlers, ...options });
  const schedule = (items: Array<Partial<NewWork>>) =>
    scheduleWork(
      test.db,
      items.map((i) => ({ kind: 'test', dueAt: clock.now(), ...i })),
      clock.now(),
    );
  const rows = async () =>
    (
      await test.db.query<{
        id: number;
        attempts: number;
        due_at: Date;
        done_at: Date | null;
        outcome: string | null;
        locked_by: string | null;
        locked_until: Date | null;
      }>('SELECT id, attempts, due_at, done_at, outcome, locked_by, locked_until FROM scheduled_work ORDER BY id')
    ).rows;

  it('tries a failing item again after 2 s, then 10 s, then 30 s, and gives up after its last attempt', async () => {
    const w = worker({ test: handler(() => Promise.reject(new Error('Slack answered 500'))) }, { maxAttempts: 4 });
    await schedule([{}]);
    for (const wait of BACKOFF_MS.slice(0, 3)) {
      await w.tick();
      const [row] = await rows();
      expect(row).toMatchObject({ done_at: null, outcome: 'failed: Slack answered 500' });
      expect(row!.due_at.getTime() - clock.now().getTime()).toBe(wait);
      clock.advance(wait - 1);
      expect(await w.tick()).toBe(0);
      clock.advance(1);
    }
    await w.tick();
    const [row] = await rows();
    expect(row).toMatchObject({ attempts: 4, outcome: 'failed: Slack answered 500' });
    expect(row!.done_at).not.toBeNull();
  });

  it('puts a rate-limited item back for Retry-After without using up an attempt', async () => {
    const rateLimited = Object.assign(new Error('ratelimited'), {
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 30,
    });
    const w = worker({ test: handler(() => Promise.reject(rateLimited)) });
    await schedule([{}]);
    await w.tick();
    const [row] = await rows();
    expect(row).toMatchObject({ attempts: 0, done_at: null, outcome: 'rate limited for 30s' });
    expect(row!.due_at.getTime() - clock.now().getTime()).toBe(30_000);
  });

  /** A worker whose item named `slow` waits for the test's gate; every item's name is recorded as it runs. */
  const slowItemWorker = () => {
    const slow = gate();
    const ran: string[] = [];
    const w = worker({
      test: handler(async (work) => {
        const name = String(work.payload.name);
        if (name === 'slow') await slow.opened;
        ran.push(name);
        return { done: 'ok' };
      }),
    });
    return { slow, ran, w };
  };

  it("holds only its own incident's items while one is slow; the rest run meanwhile, each incident in order", async () => {
    const { slow, ran, w } = slowItemWorker();
    const [one, two] = incidents;
    await schedule([
      { incidentId: one, payload: { name: 'slow' } },
      { incidentId: one, payload: { name: 'after slow' } },
      { incidentId: two, payload: { name: 'other incident' } },
    ]);
    const draining = w.tick();
    await until(() => ran.includes('other incident'), { what: "the other incident's item" });
    // New work due while the slow item runs is claimed and run too.
    await schedule([{ incidentId: two, payload: { name: 'due later' } }]);
    // A tick while the worker drains (what wake() does) makes it look again; it answers the same drain.
    expect(w.tick()).toBe(draining);
    await until(() => ran.includes('due later'), { what: 'work scheduled while the slow item runs' });
    expect(ran).not.toContain('after slow');
    slow.open();
    expect(await draining).toBe(4);
    expect(ran.slice(-2)).toEqual(['slow', 'after slow']);
  });

  it('claims work that falls due by the clock while an item is in hand for long, on the cron second alone', async () => {
    const { slow, ran, w } = slowItemWorker();
    const [one, two] = incidents;
    await schedule([{ incidentId: one, payload: { name: 'slow' } }]);
    // Falls due in a second, with nobody to wake the worker (an escalation clock running out).
    await schedule([
      { incidentId: two, payload: { name: 'escalation' }, dueAt: new Date(clock.now().getTime() + 1_000) },
    ]);
    const cron = startCron([dueWorkJob(w)], silentLogger);
    try {
      await until(() => w.holding === 1, { what: 'the slow item in hand' });
      clock.advance(1_000);
      await until(() => ran.includes('escalation'), { what: 'the escalation that fell due', timeoutMs: 5_000 });
      expect(ran).toEqual(['escalation']);
    } finally {
      slow.open();
      await cron.stop();
      await w.stop();
    }
  });

  it("runs an incident's page while a thread post of the same incident ahead of it is still waiting", async () => {
    const slow = gate();
    const ran: string[] = [];
    const run = async (work: ParsedWork<z.output<typeof testPayload>>): Promise<WorkResult> => {
      if (work.payload.name === 'thread post') await slow.opened;
      ran.push(String(work.payload.name));
      return { done: 'ok' };
    };
    const w = worker({
      detail: handler(run),
      page: { ...handler(run), priority: () => 'page' },
    });
    const [one] = incidents;
    await schedule([
      { kind: 'detail', incidentId: one, payload: { name: 'thread post' } },
      { kind: 'page', incidentId: one, payload: { name: 'first page' } },
      { kind: 'page', incidentId: one, payload: { name: 'second page' } },
      { kind: 'detail', incidentId: one, payload: { name: 'detail after' } },
    ]);
    const draining = w.tick();
    await until(() => ran.length === 2, { what: 'the pages' });
    // The pages keep their order among themselves; the details theirs.
    expect(ran).toEqual(['first page', 'second page']);
    slow.open();
    await draining;
    expect(ran).toEqual(['first page', 'second page', 'thread post', 'detail after']);
  });

  it('renews the lease of an item while its handler works (heartbeat), so no other worker takes it over', async () => {
    const slow = gate();
    const w = worker({ test: handler(() => slow.opened.then(() => ({ done: 'ok' }))) }, { heartbeatMs: 10 });
    const other = worker({ test: handler(() => Promise.resolve({ done: 'taken over' })) });
    await schedule([{}]);
    const draining = w.tick();
    await until(async () => (await rows())[0]!.locked_by === w.id, { what: 'the claim' });
    for (let i = 0; i < 3; i++) {
      clock.advance(14_000);
      const now = clock.now().getTime();
      await until(async () => (await rows())[0]!.locked_until!.getTime() > now, { what: 'the lease renewed' });
      expect(await other.tick()).toBe(0);
    }
    slow.open();
    await draining;
    expect((await rows())[0]).toMatchObject({ outcome: 'ok', locked_by: null });
  });

  it('makes runNow of an item its own tick took first wait for that run (the opener then sees the outcome)', async () => {
    const slow = gate();
    const w = worker({ test: handler(() => slow.opened.then(() => ({ done: 'ok' }))) });
    await schedule([{}]);
    const draining = w.tick();
    await until(async () => (await rows())[0]!.locked_by === w.id, { what: 'the claim' });
    const id = (await rows())[0]!.id;
    let returned = false;
    const now = w.runNow(id).then(() => (returned = true));
    // Time for runNow's claim to come back empty: without the wait it would have returned by then.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(returned).toBe(false);
    slow.open();
    await now;
    expect((await rows())[0]).toMatchObject({ outcome: 'ok', locked_by: null });
    await draining;
  });

  it('completes an item whose payload its kind cannot read as "bad payload: …" and goes on to the next one', async () => {
    const ran: string[] = [];
    const w = worker({
      test: handler(async (work) => {
        ran.push(String(work.payload.name));
        return { done: 'ok' };
      }),
    });
    const [one] = incidents;
    // Older and newer rows may carry a field more: still read. A name that is not a string: never handed over.
    await schedule([
      { incidentId: one, payload: { name: 42 } },
      { incidentId: one, payload: { name: 'next', addedLater: true } },
    ]);
    expect(await w.tick()).toBe(2);
    const [bad, next] = await rows();
    expect(bad!.done_at).not.toBeNull();
    expect(bad!.outcome).toMatch(/^bad payload: .*name/s);
    expect(bad!.locked_by).toBeNull();
    expect(next).toMatchObject({ outcome: 'ok', locked_by: null });
    expect(ran).toEqual(['next']);
    // Done for good: not claimed again, however much time passes.
    clock.advance(3_600_000);
    expect(await w.tick()).toBe(0);
  });

  it('completes an item of a kind nobody handles, saying so, and runs the rest', async () => {
    const w = worker({ test: handler(() => Promise.resolve({ done: 'ok' })) });
    await schedule([{ kind: 'retired.kind' }, {}]);
    expect(await w.tick()).toBe(2);
    const [unknown, known] = await rows();
    expect(unknown).toMatchObject({ outcome: 'no handler for retired.kind', locked_by: null });
    expect(known).toMatchObject({ outcome: 'ok' });
  });
});
