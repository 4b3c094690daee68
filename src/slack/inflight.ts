/** Work started after an ack: tracked so shutdown can wait for it to finish. */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  run(work: () => Promise<unknown>): void {
    const promise = work().finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  get size(): number {
    return this.running.size;
  }

  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
