import type { ACTION_PLACEHOLDERS, ActionConfig } from '../config/actions.js';

/** A fixed placeholder, or `input.<name>`: a value a person filled in the action's form. */
export type PlaceholderName = (typeof ACTION_PLACEHOLDERS)[number] | `input.${string}`;

/** Values for `{incident.key}`-style placeholders, e.g. `{ 'incident.key': 'INC-7', requester: 'U0ONCALL01' }`. */
export type Placeholders = Partial<Record<PlaceholderName, string>>;

export type HttpActionConfig = Extract<ActionConfig, { kind: 'http' }>;
export type CommandActionConfig = Extract<ActionConfig, { kind: 'command' }>;

/** What an action will do, with placeholders filled in: for confirm dialogs, dry runs and the timeline. */
export interface ActionPlan {
  kind: 'http' | 'command';
  /**
   * One line: `POST http://127.0.0.1:8090/deployments/rollback`, or the argv
   * shell-quoted: `./scripts/rollback.sh redis 'INC-7'`. Never a header value
   * or a credential in a URL.
   */
  summary: string;
  /** command: the exact arguments the program gets. */
  argv?: string[];
  cwd?: string;
  /** http: the method, the URL that is requested (it may carry credentials: show `summary` instead) and the body. */
  method?: string;
  url?: string;
  body?: string;
}

export interface PlanOptions {
  /**
   * Leave a placeholder without a value as `{name}` instead of refusing, for a
   * preview made before every value is known (e.g. `{approver}` before the
   * approval). `runAction` never does this.
   */
  allowMissing?: boolean;
}

export interface ActionRunResult {
  outcome: 'succeeded' | 'failed' | 'timed_out' | 'dry_run';
  /** The plan's summary. */
  summary: string;
  /** command: the exit code (null when killed or never started). */
  exitCode?: number | null;
  /** http: the response status. */
  status?: number;
  /** stdout and stderr, or the response body: truncated, secrets scrubbed. */
  output: string;
  durationMs: number;
  /** Why it did not succeed, as a sentence; secrets scrubbed. */
  error?: string;
}

export interface RunOptions {
  /** Run nothing; return outcome `dry_run` with the plan's summary. */
  dryRun: boolean;
  /** Aborting stops the run (the process group is killed, the request aborted); the outcome is `failed`. */
  signal?: AbortSignal;
  /** A command's child started, with this pid (and process group id). */
  onSpawn?: (pid: number) => void;
}
