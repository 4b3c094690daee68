import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Transaction, retryingDeadlocks } from '../../src/store/db.js';
import { type TestDatabase, createTestDatabase } from '../support/db.js';

describe('a transaction that PostgreSQL breaks a deadlock with', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase('postgres');
    await test.db.query('CREATE TABLE deadlock_rows (id int PRIMARY KEY, n int NOT NULL)');
    await test.db.query('INSERT INTO deadlock_rows VALUES (1, 0), (2, 0)');
  });
  afterAll(() => test.drop());

  it('is run again, and both writers end with their writes kept', async () => {
    const other = test.connectAnother();
    let held!: () => void;
    const bothHeld = new Promise<void>((resolve) => (held = resolve));
    let holding = 0;
    let tries = 0;
    // Each takes its first row, waits until the other holds its own, then asks for the other's: a deadlock.
    const bump = (first: number, second: number) => async (tx: Transaction) => {
      await tx.query('UPDATE deadlock_rows SET n = n + 1 WHERE id = $1', [first]);
      if (++holding === 2) held();
      await bothHeld;
      await tx.query('UPDATE deadlock_rows SET n = n + 1 WHERE id = $1', [second]);
    };
    const one = other.transaction(bump(1, 2));
    const two = retryingDeadlocks(test.db, (tx) => {
      tries++;
      return bump(2, 1)(tx);
    });
    const outcomes = await Promise.allSettled([one, two]);
    await other.close();
    // Exactly one side was chosen to break the deadlock; if it was the retrying one, it ran again and succeeded.
    const { rows } = await test.db.query<{ n: number }>('SELECT n FROM deadlock_rows ORDER BY id');
    if (outcomes[0].status === 'rejected') {
      expect(outcomes[1].status).toBe('fulfilled');
      expect(rows.map((r) => r.n)).toEqual([1, 1]);
    } else {
      expect(outcomes[1].status).toBe('fulfilled');
      expect(tries).toBe(2);
      expect(rows.map((r) => r.n)).toEqual([2, 2]);
    }
  });
});
