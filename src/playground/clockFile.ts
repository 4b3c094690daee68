import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The playground's clock offset under DATA_DIR, so a restart keeps simulated
 * time where it was: the database already holds events at moved times, and
 * time going backwards would make due work wait and timelines run backwards.
 */

const FILE = 'clock.json';
const saved = z.object({ offsetMs: z.number().finite().min(0) });

export async function readClockOffset(dir: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(join(dir, FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const parsed = saved.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(
      `${join(dir, FILE)} is not a playground clock file: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  return parsed.data.offsetMs;
}

/** Written to a temporary file and renamed over the old one: a crash leaves the old offset or the new, never half. */
export async function writeClockOffset(dir: string, offsetMs: number): Promise<void> {
  const file = join(dir, FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ offsetMs })}\n`, 'utf8');
  await rename(tmp, file);
}
