// `incidentbot export INC-<n>`: an incident's report (Markdown) from the database.
import { exportReport } from '../app/report.js';
import { systemClock } from '../clock.js';
import { parseEnv } from '../config/env.js';
import { openDatabase } from '../store/connect.js';
import type { Io } from './io.js';

export async function exportIncident(args: string[], { out, err }: Io): Promise<number> {
  const key = args.find((a) => /^inc-\d+$/i.test(a));
  if (!key) {
    err('usage: incidentbot export INC-<n>');
    return 1;
  }
  const env = parseEnv(process.env);
  const db = await openDatabase(env);
  try {
    const { markdown } = await exportReport({ db, clock: systemClock }, { key: key.toUpperCase() });
    out(markdown);
    return 0;
  } finally {
    await db.close();
  }
}
