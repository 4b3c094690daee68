// `incidentbot playbooks [dir]`: the playbooks as a table (id, aliases, title).
import { resolve } from 'node:path';
import { parseEnv } from '../config/env.js';
import { loadConfig } from '../config/load.js';
import { lintPlaybooks } from '../playbooks/lint.js';
import type { Io } from './io.js';

export async function listPlaybooks(args: string[], { out, err }: Io): Promise<number> {
  const env = parseEnv(process.env);
  const dir = resolve(args[0] ?? env.PLAYBOOKS_DIR);
  const { config, file } = await loadConfig(process.env);
  const { playbooks, problems } = await lintPlaybooks(dir, config, file);
  const idWidth = Math.max(2, ...playbooks.map((p) => p.id.length));
  const aliasWidth = Math.max(7, ...playbooks.map((p) => p.aliases.join(', ').length));
  out(`${'ID'.padEnd(idWidth)}  ${'ALIASES'.padEnd(aliasWidth)}  TITLE`);
  for (const p of playbooks) out(`${p.id.padEnd(idWidth)}  ${p.aliases.join(', ').padEnd(aliasWidth)}  ${p.title}`);
  if (problems.length > 0) err(`\n${problems.length} problem(s): run \`incidentbot lint\``);
  return problems.length > 0 ? 1 : 0;
}
