// `incidentbot oncall <schedule> [--weeks N]`: what the calendar feed exports, as a table.
import { parseArgs } from 'node:util';
import { shiftTable } from '../app/calendar.js';
import { scheduleNamed, shiftsAhead } from '../app/oncall.js';
import { systemClock } from '../clock.js';
import { parseEnv } from '../config/env.js';
import { loadConfig } from '../config/load.js';
import { openDatabase } from '../store/connect.js';
import type { Io } from './io.js';

export async function oncall(args: string[], { out, err }: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { weeks: { type: 'string' } } });
  const weeks = Number(values.weeks ?? 8);
  if (!positionals[0] || !Number.isInteger(weeks) || weeks < 1 || weeks > 52) {
    err('usage: incidentbot oncall <schedule> [--weeks N]   (N from 1 to 52; default 8)');
    return 1;
  }
  const { config } = await loadConfig(process.env);
  const known = scheduleNamed({ config }, positionals[0]);
  const db = await openDatabase(parseEnv(process.env));
  try {
    const now = systemClock.now();
    for (const line of shiftTable(known, await shiftsAhead({ db }, known, now, weeks), now)) out(line);
    return 0;
  } finally {
    await db.close();
  }
}
