import { stat } from 'node:fs/promises';
import { PERSON_PLACEHOLDERS } from '../config/actions.js';
import { formatDuration } from '../config/duration.js';
import { scrubText } from '../domain/secrets.js';
import { ActionInputError } from './errors.js';
import { PLACEHOLDER, substitute } from './placeholders.js';
import { runProcess } from '../process/run.js';
import { shellJoin } from './quote.js';
import { envAllowValues, scrub, scrubOutput, secretsOf } from './scrub.js';
import { definedProps } from '../domain/defined.js';
import type { ActionPlan, ActionRunResult, CommandActionConfig, Placeholders, PlanOptions } from './types.js';

/** What a person-typed value may hold when an argument carries it. */
export const PERSON_TEXT = /^[A-Za-z0-9 ._:/-]*$/;

const personTextProblem = (name: string) =>
  `The action puts {${name}}, which a person types, in its arguments; set \`allow_person_text: true\` on it ` +
  'to allow that (the value may then hold only letters, digits, spaces and . _ : / -), or leave it out.';

function programProblems(config: CommandActionConfig): string[] {
  const program = config.argv[0] ?? '';
  return new RegExp(PLACEHOLDER.source).test(program)
    ? [
        `The program (argv[0], ${JSON.stringify(program)}) cannot contain a placeholder: a value must never choose what runs.`,
      ]
    : [];
}

/** Config problems of a command action that its placeholders alone cannot show. */
export function commandProblems(config: CommandActionConfig): string[] {
  const problems = programProblems(config);
  if (!config.allow_person_text) {
    const used = new Set(config.argv.flatMap((a) => [...a.matchAll(PLACEHOLDER)].map((m) => m[1]!)));
    for (const name of PERSON_PLACEHOLDERS) if (used.has(name)) problems.push(personTextProblem(name));
  }
  return problems;
}

/**
 * Fills each argv element on its own: a value stays inside the element its
 * placeholder is in, so it can never add an argument, and it may not make
 * an element that did not start with `-` start with one (it would be read as
 * an option).
 */
export function planCommand(
  config: CommandActionConfig,
  placeholders: Placeholders,
  options: PlanOptions = {},
): ActionPlan {
  // The program must never come from a value. (A person's text without `allow_person_text` is refused below,
  // only when a value is actually placed, so previews of such a config still show.)
  const [problem] = programProblems(config);
  if (problem) throw new ActionInputError(problem, 'config_invalid');
  const quoted: boolean[] = [];
  const argv = config.argv.map((element, i) => {
    const typed: string[] = [];
    const { text, names } = substitute(
      element,
      placeholders,
      (value, name) => {
        if (PERSON_PLACEHOLDERS.includes(name)) typed.push(name);
        return value;
      },
      options.allowMissing,
    );
    if (text.startsWith('-') && !element.startsWith('-')) {
      throw new ActionInputError(
        `The value of {${names[0]}} starts with "-", so argument ${i} would be read as an option; an action refuses it.`,
      );
    }
    for (const name of typed) {
      if (!config.allow_person_text) throw new ActionInputError(personTextProblem(name), 'config_invalid');
      if (!PERSON_TEXT.test(placeholders[name as keyof Placeholders] ?? ''))
        throw new ActionInputError(
          `The value of {${name}} holds characters an action refuses in its arguments: ` +
            'only letters, digits, spaces and . _ : / - are passed. Shorten the summary, or run it by hand.',
        );
    }
    quoted.push(names.length > 0);
    return text;
  });
  return {
    kind: 'command',
    // Shown in Slack and the timeline: a credential written into the argv itself is not.
    summary: scrubText(shellJoin(argv, quoted)),
    argv,
    ...definedProps({ cwd: config.cwd }),
  };
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

export async function runCommand(
  config: CommandActionConfig,
  plan: ActionPlan,
  signal?: AbortSignal,
  onSpawn?: (pid: number) => void,
): Promise<ActionRunResult> {
  const argv = plan.argv ?? [];
  const secrets = secretsOf(envAllowValues(config.env_allow));
  const failed = (error: string, durationMs = 0): ActionRunResult => ({
    outcome: 'failed',
    summary: plan.summary,
    exitCode: null,
    output: '',
    durationMs,
    error: scrub(error, secrets),
  });
  if (config.cwd !== undefined && !(await isDirectory(config.cwd)))
    return failed(`The working directory ${config.cwd} does not exist.`);
  if (signal?.aborted) return failed('The run was cancelled before it started.');
  let result;
  try {
    result = await runProcess(argv, {
      cwd: config.cwd,
      envAllow: config.env_allow,
      timeoutMs: config.timeout,
      maxOutput: config.max_output,
      signal,
      ...definedProps({ onSpawn }),
    });
  } catch (error) {
    return failed(`The command could not be started: ${error instanceof Error ? error.message : String(error)}.`);
  }
  const base = {
    summary: plan.summary,
    exitCode: result.exitCode,
    output: scrubOutput(result.output, secrets, result.truncated),
    durationMs: result.durationMs,
  };
  if (result.spawnError) {
    const code = result.spawnError.split(':')[0];
    return { ...base, outcome: 'failed', error: `${argv[0]} could not be started (${code}).` };
  }
  if (result.timedOut)
    return {
      ...base,
      outcome: 'timed_out',
      error: `The command did not finish within ${formatDuration(config.timeout)} and was stopped.`,
    };
  if (result.exitCode === 0) return { ...base, outcome: 'succeeded' };
  if (result.exitCode !== null)
    return { ...base, outcome: 'failed', error: `The command exited with code ${result.exitCode}.` };
  const why = signal?.aborted
    ? 'The run was cancelled and the command was stopped.'
    : `The command was stopped by ${result.signal ?? 'a signal'}.`;
  return { ...base, outcome: 'failed', error: why };
}
