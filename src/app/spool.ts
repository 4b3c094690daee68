import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { NewTimelineEvent } from '../domain/timeline.js';
import type { Logger } from '../log.js';
import type { Database } from '../store/db.js';
import { appendKeyedTimelineEvents } from '../store/timeline.js';

type KeyedEvent = NewTimelineEvent & { key: string };

/**
 * Timeline events about things that already happened outside the bot (an
 * action ran, checks ran, a token was refreshed) must not be lost because
 * PostgreSQL is briefly unreachable. They go straight to the table; when
 * that fails they wait in a file under DATA_DIR, written before the call
 * returns, and are written to the table, in order, as soon as it answers
 * again, also after a restart. Each event gets a key before its first
 * write, so one whose insert committed but whose answer was lost is not
 * written twice.
 */
export class TimelineSpool {
  private pending: KeyedEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly file: string | undefined,
    private readonly log: Logger,
    private readonly retryMs = 5_000,
  ) {
    if (file && existsSync(file)) {
      this.pending = readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const event = JSON.parse(line) as Omit<KeyedEvent, 'key'> & { key?: string; occurredAt: string };
          // A line from before keys existed gets one now.
          return { ...event, key: event.key ?? randomUUID(), occurredAt: new Date(event.occurredAt) };
        });
      if (this.pending.length) this.schedule();
    }
  }

  get size(): number {
    return this.pending.length;
  }

  /** Writes the events now, or keeps them to write later; never throws for the database. */
  async record(...unkeyed: NewTimelineEvent[]): Promise<void> {
    const events = unkeyed.map((event) => ({ ...event, key: randomUUID() }));
    if (this.pending.length === 0) {
      try {
        await appendKeyedTimelineEvents(this.db, events);
        return;
      } catch (error) {
        this.log.warn({ err: error, events: events.length }, 'timeline write failed; spooled to write later');
      }
    }
    // Behind others already waiting: keep the order.
    this.pending.push(...events);
    if (this.file) {
      mkdirSync(dirname(this.file), { recursive: true });
      appendFileSync(this.file, events.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600 });
    }
    this.schedule();
  }

  /** Tries to write everything waiting; resolves when the attempt is over. */
  flush(): Promise<void> {
    this.flushing ??= this.writePending().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush()
        .catch((error: unknown) => this.log.warn({ err: error }, 'spooled timeline events: flush failed'))
        .finally(() => this.pending.length && this.schedule());
    }, this.retryMs);
    this.timer.unref();
  }

  private async writePending(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = [...this.pending];
    try {
      await appendKeyedTimelineEvents(this.db, batch);
    } catch (error) {
      this.log.warn({ err: error, waiting: batch.length }, 'spooled timeline events still cannot be written');
      return;
    }
    this.pending = this.pending.slice(batch.length);
    if (this.file) {
      const rest = this.pending.map((e) => `${JSON.stringify(e)}\n`).join('');
      writeFileSync(`${this.file}.tmp`, rest, { mode: 0o600 });
      renameSync(`${this.file}.tmp`, this.file);
    }
    this.log.info({ written: batch.length }, 'spooled timeline events written');
  }
}
