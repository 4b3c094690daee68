import { mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../log.js';
import type { Workspace } from './state.js';

export const WORKSPACE_FILE = 'slack-workspace.json';

/** The saved workspace under `dataDir`, or undefined when there is none yet. */
export function loadWorkspace(dataDir: string): Workspace | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, WORKSPACE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<Workspace>;
  if (parsed.version !== 1 || !parsed.team || !parsed.bot || !Array.isArray(parsed.channels)) {
    throw new Error(`${join(dataDir, WORKSPACE_FILE)} is not an emulator workspace (version 1)`);
  }
  return { ephemerals: [], files: [], views: [], usergroups: [], users: [], messages: {}, ...parsed } as Workspace;
}

/**
 * Writes the workspace a short while after it changes (many changes, one
 * write), atomically: a temporary file renamed over the old one, so a crash
 * leaves either the old state or the new, never half of one. A failed write
 * (the directory removed under it, a full disk) is logged and never rejects:
 * the emulator keeps serving from memory. `close()` writes what is pending,
 * waits for every write in flight, and stops any later write, so whoever
 * closes may remove the directory as soon as it resolves.
 */
export class Persistence {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly snapshot: () => Workspace,
    private readonly log: Logger,
    private readonly delayMs = 100,
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, WORKSPACE_FILE);
  }

  schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // write() logs its own failures; this catch is the last word.
      this.write().catch((error: unknown) => this.log.warn({ err: error }, 'emulator workspace write failed'));
    }, this.delayMs);
    this.timer.unref();
  }

  /** Writes now if anything is pending and waits for every write to finish. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.write();
    }
    await this.writing;
  }

  /** Writes what is pending, waits for the writes in flight, and writes nothing after. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  /** Resolves when the write is over, whether it worked or not (a failure is logged). */
  private write(): Promise<void> {
    if (this.closed) return this.writing;
    const text = JSON.stringify(this.snapshot());
    const tmp = `${this.file}.${process.pid}.tmp`;
    this.writing = this.writing.then(async () => {
      try {
        await writeFile(tmp, text, 'utf8');
        await rename(tmp, this.file);
      } catch (error) {
        this.log.warn(
          { err: error, file: this.file },
          'the emulator could not save its workspace; it keeps it in memory',
        );
      }
    });
    return this.writing;
  }
}
