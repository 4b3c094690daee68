import { withSlackPriority } from '../slackApi/priority.js';

/**
 * Work started after an ack, run at most `limit` at a time, each started on a
 * later turn of the event loop. Acks are answered on the same event loop:
 * starting every piece of acked work at once makes each ack wait behind all
 * of it. The bench, opening 100 incidents a second: command ack p99 96 ms
 * unbounded, 29 ms with 8 at a time, 11 ms with 4 started by setImmediate.
 * Shutdown waits for all of it.
 */
export class InFlight {
  private readonly queue: Array<() => void> = [];
  private readonly pending = new Set<Promise<unknown>>();
  private active = 0;

  constructor(private readonly limit = 4) {}

  run(work: () => Promise<unknown>): void {
    const turn = new Promise<void>((start) => this.queue.push(start));
    const promise: Promise<unknown> = turn
      // A person is waiting for what this work says: its Slack calls go before renders and updates.
      .then(() => withSlackPriority('answer', work))
      .catch(() => undefined) // the work answers its own errors; this only keeps the queue moving
      .finally(() => {
        this.active--;
        this.pending.delete(promise);
        this.next();
      });
    this.pending.add(promise);
    this.next();
  }

  /** Acked work not yet finished: running or waiting its turn. */
  get size(): number {
    return this.pending.size;
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private next(): void {
    while (this.active < this.limit && this.queue.length > 0) {
      this.active++;
      // Start on a later turn of the event loop, so requests waiting to be acked go first.
      setImmediate(this.queue.shift()!);
    }
  }
}
