// `incidentbot lint [dir]`: the playbooks checked against the config.
import { resolve } from 'node:path';
import { parseEnv } from '../config/env.js';
import { loadConfig } from '../config/load.js';
import { formatProblems, lintPlaybooks } from '../playbooks/lint.js';
import type { Io } from './io.js';

export async function lint(args: string[], { out, err }: Io): Promise<number> {
  const env = parseEnv(process.env);
  const dir = resolve(args[0] ?? env.PLAYBOOKS_DIR);
  const { config, file, warnings } = await loadConfig(process.env);
  const { playbooks, problems } = await lintPlaybooks(dir, config, file);
  if (problems.length > 0) {
    err(formatProblems(problems));
    err(`\n${problems.length} problem(s) in ${dir} (checked against ${file})`);
    return 1;
  }
  for (const warning of warnings) err(`note: ${warning} (the example config refers to it)`);
  out(`${playbooks.length} playbooks OK in ${dir} (checked against ${file})`);
  return 0;
}
