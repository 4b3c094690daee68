import type { Config } from '../config/schema.js';
import { type SourceProblem, formatProblem } from '../errors.js';
import { type LoadResult, loadPlaybooks, referencesOf } from './load.js';

/** `incidentbot lint`: every problem in the playbooks, checked against the config. */
export async function lintPlaybooks(dir: string, config: Config): Promise<LoadResult> {
  return loadPlaybooks(dir, referencesOf(config));
}

export function formatProblems(problems: SourceProblem[]): string {
  return problems.map(formatProblem).join('\n');
}
