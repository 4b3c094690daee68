import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BotError, ProblemsError, thrownField } from '../errors.js';
import { referenceProblems } from './references.js';
import { type Config, configSchema } from './schema.js';
import type { Env } from './secret.js';
import { parseYaml } from './yamlSource.js';

export interface LoadedConfig {
  config: Config;
  file: string;
  /** True when no config file was found and the shipped example stands in. */
  isExample: boolean;
  /** Credentials the example refers to that are not set: the features that use them say so when used. */
  warnings: string[];
}

/** The package root: where the example config and the shipped playbooks live. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const exampleConfigPath = resolve(packageRoot, 'incidentbot.example.yml');

/** `INCIDENTBOT_CONFIG`, else `./incidentbot.yml`, else the example. */
export function locateConfig(
  configured: string | undefined,
  cwd = process.cwd(),
): { file: string; isExample: boolean } {
  if (configured) return { file: resolve(cwd, configured), isExample: false };
  const local = resolve(cwd, 'incidentbot.yml');
  if (existsSync(local)) return { file: local, isExample: false };
  return { file: exampleConfigPath, isExample: true };
}

export async function loadConfigFile(
  file: string,
  env: Env,
  options: { isExample?: boolean } = {},
): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const reason = thrownField(cause, 'code') === 'ENOENT' ? 'file not found' : String(cause);
    throw new ProblemsError('config_invalid', [{ file, line: 1, column: 1, path: '', message: reason }]);
  }
  const warnings: string[] = [];
  const schema = configSchema(env, { lenient: options.isExample === true, warnings });
  const parsed = parseYaml(file, text, schema);
  const problems = [
    ...parsed.problems,
    ...referenceProblems(parsed.doc.toJS()).map((p) => parsed.problemAt(p.path, p.message)),
  ];
  if (parsed.value === undefined || problems.length > 0)
    throw new ProblemsError(
      'config_invalid',
      problems.sort((a, b) => a.line - b.line),
    );
  return { config: parsed.value, file, isExample: options.isExample === true, warnings: [...new Set(warnings)] };
}

/**
 * Loads the config. With `production`, the shipped example is refused: its Slack ids, targets and
 * responders are someone else's, and a deployed bot acting on them would page the wrong people.
 */
export async function loadConfig(
  env: Env,
  cwd = process.cwd(),
  options: { production?: boolean } = {},
): Promise<LoadedConfig> {
  const { file, isExample } = locateConfig(env.INCIDENTBOT_CONFIG, cwd);
  if (isExample && options.production)
    throw new BotError(
      'config_invalid',
      `Refusing to start: NODE_ENV is production and there is no config file; set INCIDENTBOT_CONFIG or put ` +
        `incidentbot.yml in ${cwd} (the shipped example is for trying the bot).`,
    );
  return loadConfigFile(file, env, { isExample });
}
