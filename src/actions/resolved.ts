import { z } from 'zod';
import type { ActionConfig } from '../config/actions.js';
import type { Secret } from '../config/secret.js';
import { planCommand, runCommand } from './command.js';
import { sendHttp } from './http.js';
import { buildHttp, SENSITIVE_PARAM } from './httpPlan.js';
import { PLACEHOLDER } from './placeholders.js';
import { definedProps } from '../domain/defined.js';
import type {
  ActionPlan,
  ActionRunResult,
  CommandActionConfig,
  HttpActionConfig,
  Placeholders,
  RunOptions,
} from './types.js';

/**
 * The whole of what a run will do, resolved when it is requested and kept
 * with the run (`action_runs.resolved_plan`), so the run executes what the
 * requester asked for and the approver saw, not the config of the moment.
 * No credential is in it: header values, and the user, password and
 * credential query values of a URL, are taken from the config when it runs
 * (credentials rotate; what runs does not change). `{approver}` is the one
 * placeholder left to fill, at the approval.
 */
export const resolvedPlanSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('command'),
    summary: z.string(),
    argv: z.array(z.string()).min(1),
    cwd: z.string().optional(),
    envAllow: z.array(z.string()),
    timeoutMs: z.number().int().positive(),
    maxOutput: z.number().int().positive(),
  }),
  z.object({
    kind: z.literal('http'),
    summary: z.string(),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    /** Placeholders filled; no user, password or credential query value. */
    url: z.string(),
    /** Header names; their values are credentials, read from the config when it runs. */
    headers: z.array(z.string()),
    body: z.string().optional(),
    expectStatus: z.array(z.number().int()),
    timeoutMs: z.number().int().positive(),
  }),
]);
export type ResolvedPlan = z.infer<typeof resolvedPlanSchema>;

/** A Slack user id: the only value filled in when the plan runs, so it needs no encoding anywhere. */
const USER_ID = /^[A-Z0-9]+$/;
const APPROVER = '{approver}';

/** The plan kept with a run, or undefined when the row holds none (a run from before plans were kept). */
export function parseResolvedPlan(value: unknown): ResolvedPlan | undefined {
  const parsed = resolvedPlanSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The URL without its credentials: no user or password, credential query values emptied. */
function withoutCredentials(url: URL): string {
  const clean = new URL(url);
  clean.username = '';
  clean.password = '';
  for (const [name] of [...clean.searchParams]) if (SENSITIVE_PARAM.test(name)) clean.searchParams.set(name, '');
  // Keep `{approver}` findable for the fill at approval time.
  return clean.toString().replaceAll('%7Bapprover%7D', APPROVER);
}

/** Puts back the credentials of the configured URL (user, password, credential query values) into a kept one. */
function withCredentials(kept: string, configured: string): string {
  const from = new URL(configured.replace(PLACEHOLDER, 'x'));
  const url = new URL(kept);
  url.username = from.username;
  url.password = from.password;
  for (const [name] of [...url.searchParams])
    if (SENSITIVE_PARAM.test(name)) url.searchParams.set(name, from.searchParams.get(name) ?? '');
  return url.toString().replaceAll('%7Bapprover%7D', APPROVER);
}

/**
 * Resolves every placeholder but `{approver}` (unknown until someone approves).
 * Throws ActionInputError for a value the action refuses, before anything is kept.
 */
export function resolvePlan(config: ActionConfig, placeholders: Placeholders): ResolvedPlan {
  // `{approver}` stands for itself until the approval; every other value must be there now.
  const values: Placeholders = { ...placeholders, approver: APPROVER };
  if (config.kind === 'command') {
    const plan = planCommand(config, values);
    return {
      kind: 'command',
      summary: plan.summary,
      argv: plan.argv ?? [],
      ...definedProps({ cwd: config.cwd }),
      envAllow: config.env_allow,
      timeoutMs: config.timeout,
      maxOutput: config.max_output,
    };
  }
  const { plan, url } = buildHttp(config, values);
  return {
    kind: 'http',
    summary: plan.summary.replaceAll('%7Bapprover%7D', APPROVER),
    method: config.method,
    url: withoutCredentials(url),
    headers: Object.keys(config.headers),
    ...(plan.body === undefined ? {} : { body: plan.body.replaceAll('%7Bapprover%7D', APPROVER) }),
    expectStatus: Array.isArray(config.expect_status) ? config.expect_status : [config.expect_status],
    timeoutMs: config.timeout,
  };
}

/**
 * Runs a kept plan: `{approver}` filled, credentials from `config` (the
 * action as configured now). A header the plan names that is no longer
 * configured fails the run with a sentence; nothing else of the config is read.
 * Values kept in the plan are not read for placeholders again.
 */
export async function runResolved(
  plan: ResolvedPlan,
  config: ActionConfig,
  approver: string | undefined,
  options: RunOptions,
): Promise<ActionRunResult> {
  const failed = (error: string): ActionRunResult => ({
    outcome: 'failed',
    summary: plan.summary,
    output: '',
    durationMs: 0,
    error,
  });
  if (approver !== undefined && !USER_ID.test(approver)) return failed('The approver is not a Slack user id.');
  const fill = (text: string) => (approver === undefined ? text : text.replaceAll(APPROVER, approver));
  const texts = plan.kind === 'command' ? plan.argv : [plan.url, plan.body ?? ''];
  if (approver === undefined && texts.some((t) => t.includes(APPROVER)))
    return failed('The action needs {approver}, and this run has no approver.');
  if (options.dryRun) return { outcome: 'dry_run', summary: plan.summary, output: '', durationMs: 0 };
  const common = {
    title: config.title,
    timeout: plan.timeoutMs,
    allowed: config.allowed,
    approval: config.approval,
    approval_expires: config.approval_expires,
    dry_run: false,
    // The inputs are already in the kept plan's argv.
    inputs: {},
  };
  if (plan.kind === 'command') {
    const argv = plan.argv.map(fill);
    const command: CommandActionConfig = {
      kind: 'command',
      ...common,
      argv,
      ...definedProps({ cwd: plan.cwd }),
      env_allow: plan.envAllow,
      max_output: plan.maxOutput,
      allow_person_text: false,
    };
    return runCommand(command, { kind: 'command', summary: fill(plan.summary), argv }, options.signal, options.onSpawn);
  }
  if (config.kind !== 'http') return failed('The action is no longer an HTTP request; request it again.');
  // Credentials of the moment go only where the config of the moment sends them.
  const origin = new URL(plan.url).origin;
  if (new URL(config.url.replace(PLACEHOLDER, 'x')).origin !== origin)
    return failed(
      `The action now sends its credentials elsewhere than ${origin}, where it was approved to; request it again.`,
    );
  const configured: Record<string, Secret> = config.headers;
  const headers: Record<string, Secret> = {};
  for (const name of plan.headers) {
    const secret = configured[name];
    if (!secret) return failed(`The header ${name} of the approved plan is no longer configured; nothing was sent.`);
    headers[name] = secret;
  }
  const body = plan.body === undefined ? undefined : fill(plan.body);
  const http: HttpActionConfig = {
    kind: 'http',
    ...common,
    method: plan.method,
    url: fill(withCredentials(plan.url, config.url)),
    headers,
    ...definedProps({ body }),
    expect_status: plan.expectStatus,
  };
  const shown: ActionPlan = {
    kind: 'http',
    summary: fill(plan.summary),
    method: plan.method,
    url: fill(plan.url),
    ...definedProps({ body }),
  };
  return sendHttp(http, shown, new URL(http.url), options.signal);
}
