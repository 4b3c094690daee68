import { mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
 * leaves either the old state or the new, never half of one.
 */
export class Persistence {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly snapshot: () => Workspace,
    private readonly delayMs = 100,
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, WORKSPACE_FILE);
  }

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A failure is kept in `writing` and reported by flush(); nothing is left unhandled meanwhile.
      this.write().catch(() => undefined);
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

  private write(): Promise<void> {
    const text = JSON.stringify(this.snapshot());
    const tmp = `${this.file}.${process.pid}.tmp`;
    // A failed write does not stop later ones; flush() reports the latest failure.
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        await writeFile(tmp, text, 'utf8');
        await rename(tmp, this.file);
      });
    return this.writing;
  }
}
