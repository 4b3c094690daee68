import type { Database, Transaction } from './db.js';

/**
 * The database the use cases are given: the same adapter, plus one place where the timeline events they write
 * are counted (the metrics). A write outside a transaction counts at once; a transaction's count waits for its
 * commit, so an event that was rolled back (a lost race, PostgreSQL going away) is never counted.
 */
export function tallyTimeline(db: Database, count: (kind: string) => void): Database {
  const countAll = (kinds: readonly string[]) => kinds.forEach(count);
  return {
    kind: db.kind,
    query: <R>(text: string, params?: readonly unknown[]) => db.query<R>(text, params),
    timelineWritten: countAll,
    async transaction(fn) {
      const written: string[] = [];
      const value = await db.transaction((inner) => {
        const tx: Transaction = {
          query: <R>(text: string, params?: readonly unknown[]) => inner.query<R>(text, params),
          exec: (sql) => inner.exec(sql),
          timelineWritten: (kinds) => written.push(...kinds),
        };
        return fn(tx);
      });
      countAll(written);
      return value;
    },
    close: () => db.close(),
  };
}
