import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Config } from '../config/schema.js';
import { parseYaml } from '../config/yamlSource.js';
import { type SourceProblem, formatProblem } from '../errors.js';
import { PlaybookCatalog } from './catalog.js';
import { type LoadResult, loadPlaybooks, referencesOf } from './load.js';

/**
 * `incidentbot lint`: every problem in the playbooks, checked against the
 * config, plus the config's own references to playbooks (scheduled groups).
 */
export async function lintPlaybooks(dir: string, config: Config, configFile?: string): Promise<LoadResult> {
  const result = await loadPlaybooks(dir, referencesOf(config));
  const catalog = new PlaybookCatalog(result.playbooks);
  const missing = Object.entries(config.groups).filter(([, group]) => group.playbook && !catalog.find(group.playbook));
  if (missing.length > 0) {
    const locate = configFile ? parseYaml(configFile, await readFile(configFile, 'utf8'), z.unknown()).problemAt : undefined;
    for (const [name, group] of missing) {
      const message = `no playbook "${group.playbook}" in ${dir}`;
      result.problems.push(locate ? locate(['groups', name, 'playbook'], message) : { file: configFile ?? 'config', line: 1, column: 1, path: `groups.${name}.playbook`, message });
    }
  }
  return result;
}

export function formatProblems(problems: SourceProblem[]): string {
  return problems.map(formatProblem).join('\n');
}
