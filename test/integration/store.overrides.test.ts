import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type NewOverride,
  findOverride,
  insertOverrides,
  readOverrides,
  removeOverride,
} from '../../src/store/overrides.js';
import { type TestDatabase, createTestDatabase } from '../support/db.js';

const T0 = new Date('2026-12-09T10:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const ADA = 'U0ONCALL01';
const GRACE = 'U0SECOND02';

/** On-call overrides (src/store/overrides.ts) against the real PostgreSQL. */
describe('on-call overrides in PostgreSQL', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase('postgres');
  });
  afterAll(() => test.drop());
  beforeEach(async () => {
    await test.db.query('TRUNCATE oncall_overrides');
  });

  const override = (over: Partial<NewOverride> = {}): NewOverride => ({
    schedule: 'auth',
    user: GRACE,
    start: at(0),
    end: at(2),
    kind: 'override',
    replaces: ADA,
    createdBy: ADA,
    ...over,
  });

  it('records who covers the schedule, when, instead of whom, and who made it', async () => {
    const [stored] = await insertOverrides(test.db, [override()], T0);
    expect(stored).toEqual({
      id: expect.any(Number),
      schedule: 'auth',
      user: GRACE,
      start: at(0),
      end: at(2),
      kind: 'override',
      replaces: ADA,
      createdBy: ADA,
      createdAt: T0,
    });
    expect(await findOverride(test.db, stored!.id)).toEqual(stored);
  });

  it('creates nothing twice for the same request (a retried Slack command)', async () => {
    const first = await insertOverrides(
      test.db,
      [override({ requestKey: 'cmd:1:a' }), override({ requestKey: 'cmd:1:b' })],
      T0,
    );
    const again = await insertOverrides(
      test.db,
      [override({ requestKey: 'cmd:1:a' }), override({ requestKey: 'cmd:1:b' })],
      T0,
    );
    expect(again.map((o) => o.id)).toEqual(first.map((o) => o.id));
    expect((await test.db.query('SELECT id FROM oncall_overrides')).rows).toHaveLength(2);
  });

  it("reads a schedule's overrides that overlap a window, and not another schedule's", async () => {
    await insertOverrides(
      test.db,
      [override(), override({ start: at(10), end: at(12) }), override({ schedule: 'platform' })],
      T0,
    );
    expect((await readOverrides(test.db, 'auth', at(1), at(11))).map((o) => o.start)).toEqual([at(0), at(10)]);
    expect(await readOverrides(test.db, 'auth', at(2), at(10))).toEqual([]);
  });

  it('removes an override once, keeping the row with who removed it', async () => {
    const [stored] = await insertOverrides(test.db, [override()], T0);
    expect(await removeOverride(test.db, stored!.id, GRACE, at(1))).toMatchObject({ id: stored!.id });
    expect(await removeOverride(test.db, stored!.id, GRACE, at(1))).toBeUndefined();
    expect(await readOverrides(test.db, 'auth', at(0), at(2))).toEqual([]);
    const { rows } = await test.db.query('SELECT removed_by, removed_at FROM oncall_overrides');
    expect(rows).toEqual([{ removed_by: GRACE, removed_at: at(1) }]);
  });

  it('refuses an override that ends before it starts', async () => {
    await expect(insertOverrides(test.db, [override({ end: at(-1) })], T0)).rejects.toThrow(/check/i);
  });
});
