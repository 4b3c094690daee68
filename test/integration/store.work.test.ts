import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type NewWork, claimDueWork, completeWork, renewWork, retryWork, scheduleWork } from '../../src/store/work.js';
import { type TestDatabase, createTestDatabase } from '../support/db.js';

const T0 = new Date(Date.UTC(2026, 0, 1, 3, 0));
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1_000);
const LEASE = 15_000;

/** The due-work queue (src/store/work.ts) against the real PostgreSQL. */
describe('the due-work queue', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase('postgres');
  });
  afterAll(() => test.drop());
  beforeEach(async () => {
    await test.db.query('TRUNCATE scheduled_work');
  });

  const schedule = (items: NewWork[]) => scheduleWork(test.db, items, T0);
  const item = (over: Partial<NewWork> = {}): NewWork => ({ kind: 'test', dueAt: T0, ...over });
  const row = async (id: number) =>
    (
      await test.db.query<{ attempts: number; due_at: Date; done_at: Date | null; outcome: string | null }>(
        'SELECT attempts, due_at, done_at, outcome FROM scheduled_work WHERE id = $1',
        [id],
      )
    ).rows[0]!;

  it('never gives the same item to two claimers, however many claim at once', async () => {
    await schedule(Array.from({ length: 200 }, (_, i) => item({ payload: { i } })));
    const other = test.connectAnother();
    const claimers = ['a', 'b', 'c', 'd'].map((name, n) => async () => {
      const mine: number[] = [];
      for (;;) {
        const got = await claimDueWork(n % 2 ? other : test.db, name, at(1), LEASE, 7);
        if (got.length === 0) return mine;
        mine.push(...got.map((w) => w.id));
      }
    });
    const claimed = (await Promise.all(claimers.map((c) => c()))).flat();
    expect(claimed).toHaveLength(200);
    expect(new Set(claimed).size).toBe(200);
  });

  it('claims only what is due, earliest first', async () => {
    await schedule([item({ dueAt: at(30), payload: { n: 2 } }), item({ dueAt: at(10), payload: { n: 1 } })]);
    expect(await claimDueWork(test.db, 'a', at(5), LEASE, 10)).toEqual([]);
    const claimed = await claimDueWork(test.db, 'a', at(60), LEASE, 10);
    expect(claimed.map((w) => w.payload)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(claimed.every((w) => w.attempts === 1)).toBe(true);
  });

  it("holds a lane's later items until its earlier ones are done, while other lanes run", async () => {
    await schedule([
      item({ lane: 'thread:1', payload: { n: 1 } }),
      item({ lane: 'thread:1', payload: { n: 2 } }),
      item({ lane: 'thread:2', payload: { n: 3 } }),
    ]);
    const first = await claimDueWork(test.db, 'a', at(1), LEASE, 10);
    expect(first.map((w) => w.payload)).toEqual([{ n: 1 }, { n: 3 }]);
    expect(await claimDueWork(test.db, 'b', at(1), LEASE, 10)).toEqual([]);
    await completeWork(test.db, first[0]!.id, 'a', at(2), 'done');
    expect((await claimDueWork(test.db, 'b', at(2), LEASE, 10)).map((w) => w.payload)).toEqual([{ n: 2 }]);
  });

  it('lets another worker take an item over once its lease ran out, and fences the first one out', async () => {
    await schedule([item()]);
    const [held] = await claimDueWork(test.db, 'dead', at(0), LEASE, 1);
    expect(await claimDueWork(test.db, 'b', at(14), LEASE, 1)).toEqual([]);
    const [taken] = await claimDueWork(test.db, 'b', at(16), LEASE, 1);
    expect(taken).toMatchObject({ id: held!.id, attempts: 2 });
    expect(await completeWork(test.db, held!.id, 'dead', at(17), 'late answer')).toBe(false);
    expect(await completeWork(test.db, held!.id, 'b', at(17), 'done')).toBe(true);
    expect(await row(held!.id)).toMatchObject({ outcome: 'done' });
  });

  it('keeps an item with the worker that renews its lease (the heartbeat), and says which it lost', async () => {
    await schedule([item(), item()]);
    const held = await claimDueWork(test.db, 'a', at(0), LEASE, 2);
    const ids = held.map((w) => w.id);
    expect(await renewWork(test.db, ids, 'a', at(10), LEASE)).toEqual(expect.arrayContaining(ids));
    expect(await claimDueWork(test.db, 'b', at(20), LEASE, 2)).toEqual([]);
    // Not renewed past 25 s: another worker takes both over, and the first worker's renewal keeps nothing.
    expect(await claimDueWork(test.db, 'b', at(26), LEASE, 2)).toHaveLength(2);
    expect(await renewWork(test.db, ids, 'a', at(27), LEASE)).toEqual([]);
  });

  it('completes an item only for the worker that holds it, once', async () => {
    await schedule([item()]);
    const [w] = await claimDueWork(test.db, 'a', at(0), LEASE, 1);
    expect(await completeWork(test.db, w!.id, 'b', at(1), 'not mine')).toBe(false);
    expect(await completeWork(test.db, w!.id, 'a', at(1), 'done')).toBe(true);
    expect(await completeWork(test.db, w!.id, 'a', at(2), 'again')).toBe(false);
    expect(await row(w!.id)).toMatchObject({ outcome: 'done', done_at: at(1) });
  });

  it('puts a failed item back for later, counting the attempt; a rate limit (countAttempt false) does not count', async () => {
    await schedule([item()]);
    let [w] = await claimDueWork(test.db, 'a', at(0), LEASE, 1);
    await retryWork(test.db, w!.id, 'a', at(2), 'failed: 500');
    expect(await row(w!.id)).toMatchObject({ attempts: 1, due_at: at(2), done_at: null, outcome: 'failed: 500' });
    expect(await claimDueWork(test.db, 'a', at(1), LEASE, 1)).toEqual([]);
    [w] = await claimDueWork(test.db, 'a', at(2), LEASE, 1);
    expect(w!.attempts).toBe(2);
    await retryWork(test.db, w!.id, 'a', at(32), 'rate limited for 30s', { countAttempt: false });
    expect(await row(w!.id)).toMatchObject({ attempts: 1, due_at: at(32) });
    // Only its holder puts it back.
    [w] = await claimDueWork(test.db, 'a', at(32), LEASE, 1);
    await retryWork(test.db, w!.id, 'b', at(40), 'not mine');
    expect(await row(w!.id)).toMatchObject({ due_at: at(32), attempts: 2 });
  });

  it('schedules an item with a dedupe key once, ever', async () => {
    expect(await schedule([item({ dedupeKey: 'page:1:opened' })])).toBe(1);
    const [w] = await claimDueWork(test.db, 'a', at(0), LEASE, 1);
    await completeWork(test.db, w!.id, 'a', at(1), 'done');
    expect(await schedule([item({ dedupeKey: 'page:1:opened' }), item({ dedupeKey: 'page:1:other' })])).toBe(1);
  });

  it('keeps one item per coalesce key waiting; one more may wait while one is in hand', async () => {
    const render = () => item({ kind: 'render', coalesceKey: 'render:1', lane: 'render:1' });
    expect(await schedule([render()])).toBe(1);
    expect(await schedule([render(), render()])).toBe(0);
    const [running] = await claimDueWork(test.db, 'a', at(0), LEASE, 10);
    // Asked for again while it runs: exactly one more waits (and waits for it: same lane).
    expect(await schedule([render()])).toBe(1);
    expect(await schedule([render()])).toBe(0);
    expect(await claimDueWork(test.db, 'b', at(0), LEASE, 10)).toEqual([]);
    // The running one fails: the waiting one will do its work, so it is done ("coalesced"), not put back.
    await retryWork(test.db, running!.id, 'a', at(2), 'failed: 500', { now: at(1) });
    expect(await row(running!.id)).toMatchObject({ done_at: at(1), outcome: 'coalesced after: failed: 500' });
    const waiting = await claimDueWork(test.db, 'b', at(0), LEASE, 10);
    expect(waiting).toHaveLength(1);
    // Nothing else waits now: a failure goes back as the one waiting render.
    await retryWork(test.db, waiting[0]!.id, 'b', at(5), 'failed: 500');
    expect(await row(waiting[0]!.id)).toMatchObject({ done_at: null, due_at: at(5) });
  });
});
