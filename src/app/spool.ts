import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { TIMELINE_DATA, TIMELINE_KINDS, type NewTimelineEvent } from '../domain/timeline.js';
import type { Logger } from '../log.js';
import { finishRun } from '../store/actionRuns.js';
import type { Database, Queryable } from '../store/db.js';
import { recordStepMove } from '../store/steps.js';
import { appendKeyedTimelineEvents } from '../store/timeline.js';
import { definedProps } from '../domain/defined.js';

const stepEnd = {
  incidentId: z.number().int(),
  step: z.number().int(),
  to: z.enum(['done', 'failed']),
  detail: z.string().optional(),
};
/** A step's event data as the spool keeps it (lines from before it held the step's number have none). */
const stepData = (kind: 'step.done' | 'step.failed') =>
  z.looseObject(TIMELINE_DATA[kind].shape).extend({ step: z.number().optional() });

/** What an action run's end changes besides its timeline event: the run's row, and its step. */
const runFinishSchema = z.object({
  id: z.number().int(),
  outcome: z.enum(['succeeded', 'failed', 'timed_out', 'dry_run']),
  at: z.coerce.date(),
  output: z.string(),
  error: z.string().optional(),
  exitCode: z.number().int().nullable().optional(),
  httpStatus: z.number().int().optional(),
  step: z
    .discriminatedUnion('kind', [
      z.object({ ...stepEnd, kind: z.literal('step.done'), data: stepData('step.done') }),
      z.object({ ...stepEnd, kind: z.literal('step.failed'), data: stepData('step.failed') }),
    ])
    .optional(),
});
export type RunFinish = z.infer<typeof runFinishSchema>;

/** One line of the spool file. Lines from before keys existed have none and get one when read. */
const spooledLine = z.object({
  key: z.string().uuid().optional(),
  incidentId: z.number().int(),
  occurredAt: z.coerce.date(),
  actor: z.string(),
  kind: z.enum(TIMELINE_KINDS),
  data: z.record(z.string(), z.unknown()),
  run: runFinishSchema.optional(),
});

/** A timeline event, and (for `action.finished`) the run's end written in the same transaction. */
export type SpooledEvent = NewTimelineEvent & { run?: RunFinish };
type KeyedEvent = SpooledEvent & { key: string };

/** `written`: in the table now; `spooled`: waiting in the spool, written as soon as PostgreSQL answers. */
export type Recorded = 'written' | 'spooled';

/**
 * Timeline events about things that already happened outside the bot (an
 * action ran, checks ran, a token was refreshed) must not be lost because
 * PostgreSQL is briefly unreachable. They go straight to the table; when
 * that fails they wait in a file under DATA_DIR, appended and fsynced before
 * the call returns, and are written to the table, in order, as soon as it
 * answers again, also after a restart. Each event gets a key before its first
 * write, so one whose insert committed but whose answer was lost is not
 * written twice. An action run's end travels with its `action.finished`
 * event: both are written in one transaction, now or later.
 *
 * The file is read line by line: a torn line (the crash the spool exists for)
 * or one that is not a spooled event is skipped and logged with the file name
 * and line number; the rest is replayed.
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
      this.pending = this.read(file);
      if (this.pending.length) this.schedule();
    }
  }

  get size(): number {
    return this.pending.length;
  }

  /** Writes the events now, or keeps them to write later; never throws for the database. */
  async record(...unkeyed: SpooledEvent[]): Promise<Recorded> {
    const events = unkeyed.map((event) => ({ ...event, key: randomUUID() }));
    if (this.pending.length === 0) {
      try {
        await this.write(events);
        return 'written';
      } catch (error) {
        this.log.warn({ err: error, events: events.length }, 'timeline write failed; spooled to write later');
      }
    }
    // Behind others already waiting: keep the order.
    this.pending.push(...events);
    if (this.file) {
      try {
        append(this.file, events.map(line).join(''));
      } catch (error) {
        this.log.error(
          { err: error, file: this.file },
          'could not append to the timeline spool; the events wait in memory',
        );
      }
    }
    this.schedule();
    return 'spooled';
  }

  /** Tries to write everything waiting; resolves when the attempt is over. */
  flush(): Promise<void> {
    this.flushing ??= this.writePending().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private read(file: string): KeyedEvent[] {
    const events: KeyedEvent[] = [];
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        if (!text.trim()) return;
        let parsed;
        try {
          parsed = spooledLine.safeParse(JSON.parse(text));
        } catch (error) {
          this.log.warn({ file, line: i + 1, err: error }, 'timeline spool: skipped a line that is not JSON (torn?)');
          return;
        }
        if (!parsed.success) {
          const reason = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
          this.log.warn({ file, line: i + 1, reason }, 'timeline spool: skipped a line that is not a timeline event');
          return;
        }
        const { key, run, ...event } = parsed.data;
        events.push({ ...event, key: key ?? randomUUID(), ...definedProps({ run }) });
      });
    return events;
  }

  private async write(events: readonly KeyedEvent[]): Promise<void> {
    if (!events.some((e) => e.run)) {
      await appendKeyedTimelineEvents(this.db, events);
      return;
    }
    await this.db.transaction(async (tx) => {
      await appendKeyedTimelineEvents(tx, events);
      for (const event of events) if (event.run) await applyRunFinish(tx, event.run);
    });
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
      await this.write(batch);
    } catch (error) {
      this.log.warn({ err: error, waiting: batch.length }, 'spooled timeline events still cannot be written');
      return;
    }
    this.pending = this.pending.slice(batch.length);
    if (this.file) {
      replace(this.file, this.pending.map(line).join(''));
    }
    this.log.info({ written: batch.length }, 'spooled timeline events written');
  }
}

/** The run's row moves to its outcome (also from `interrupted`: its end arrived after all), and its step with it. */
async function applyRunFinish(q: Queryable, run: RunFinish): Promise<void> {
  const finished = await finishRun(q, run.id, run.outcome, {
    at: run.at,
    output: run.output,
    ...definedProps({ error: run.error, exitCode: run.exitCode, httpStatus: run.httpStatus }),
  });
  if (finished && run.step)
    await recordStepMove(q, {
      ...run.step,
      actor: 'system',
      at: run.at,
      requestKey: `run:${run.id}:finished`,
    });
}

const line = (event: KeyedEvent) => `${JSON.stringify(event)}\n`;

/** Appends and fsyncs: once this returns, the lines survive a crash of the process or the machine. */
function append(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'a', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces the file atomically: a synced temporary file renamed over it. */
function replace(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
