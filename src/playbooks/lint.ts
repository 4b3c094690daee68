import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Config } from '../config/schema.js';
import { parseYaml } from '../config/yamlSource.js';
import { type SourceProblem, formatProblem } from '../errors.js';
import { actionProblems } from '../actions/index.js';
import { PlaybookCatalog } from './catalog.js';
import { type LoadResult, loadPlaybooks, referencesOf } from './load.js';

/**
 * `incidentbot lint`: every problem in the playbooks, checked against the
 * config, plus the config's own references to playbooks (scheduled groups)
 * and its actions' placeholders.
 */
export async function lintPlaybooks(dir: string, config: Config, configFile?: string): Promise<LoadResult> {
  const result = await loadPlaybooks(dir, referencesOf(config));
  const catalog = new PlaybookCatalog(result.playbooks);
  const found: Array<{ path: Array<string | number>; message: string }> = [
    ...Object.entries(config.groups)
      .filter(([, group]) => group.playbook && catalog.find(group.playbook)?.kind !== 'incident')
      .map(([name, group]) => ({
        path: ['groups', name, 'playbook'],
        message: notAnIncidentPlaybook(catalog, group.playbook ?? '', dir),
      })),
    ...config.alerts.routes.flatMap((route, i) =>
      catalog.find(route.playbook)?.kind === 'incident'
        ? []
        : [{ path: ['alerts', 'routes', i, 'playbook'], message: notAnIncidentPlaybook(catalog, route.playbook, dir) }],
    ),
    ...Object.entries(config.actions).flatMap(([name, action]) =>
      actionProblems(action).map((message) => ({ path: ['actions', name], message })),
    ),
  ];
  if (found.length > 0) {
    const locate = configFile
      ? parseYaml(configFile, await readFile(configFile, 'utf8'), z.unknown()).problemAt
      : undefined;
    for (const { path, message } of found)
      result.problems.push(
        locate
          ? locate(path, message)
          : { file: configFile ?? 'config', line: 1, column: 1, path: path.join('.'), message },
      );
  }
  return result;
}

function notAnIncidentPlaybook(catalog: PlaybookCatalog, id: string, dir: string): string {
  return catalog.find(id) ? `"${id}" is a change runbook, not an incident playbook` : `no playbook "${id}" in ${dir}`;
}

export function formatProblems(problems: SourceProblem[]): string {
  return problems.map(formatProblem).join('\n');
}
