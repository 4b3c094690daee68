import { z } from 'zod';
import { duration } from './duration.js';
import { type Env, Secret, hasReference, interpolate, isPureReference } from './secret.js';

/** Slack ids as they appear in config: users (U/W…), user groups (S…), channels (C/G…). */
export const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'a Slack user id looks like U012AB3CD');
export const slackUserGroupId = z.string().regex(/^S[A-Z0-9]{2,}$/, 'a Slack user group id looks like S012AB3CD');
export const slackChannelId = z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'a Slack channel id looks like C012AB3CD');

export const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'names are lowercase letters, digits, - and _ (at most 63)');

/** Who: Slack users and user groups. Used by escalation levels, stakeholders and action permissions. */
export const people = z.strictObject({
  users: z.array(slackUserId).default([]),
  usergroups: z.array(slackUserGroupId).default([]),
});
export type People = z.infer<typeof people>;

export const backoff = z.strictObject({
  initial: duration.default(500),
  factor: z.number().min(1).max(10).default(2),
  max: duration.default(30_000),
  jitter: z.boolean().default(true),
});
export type Backoff = z.infer<typeof backoff>;

export const retryPolicy = {
  timeout: duration,
  retries: z.number().int().min(0).max(10),
  backoff: backoff.prefault({}),
};

/**
 * Field builders that resolve `${ENV}` references at load. They need the
 * environment, so the config schema is built per load (see schema.ts).
 */
export interface EnvOptions {
  /**
   * Lenient loading is for the shipped example config only: an unset
   * credential becomes a warning, and using it says which variable to set.
   */
  lenient?: boolean;
  warnings?: string[];
}

export function envFields(env: Env, options: EnvOptions = {}) {
  const resolve = (text: string, ctx: z.RefinementCtx): string => {
    const { value, missing } = interpolate(text, env);
    for (const variable of missing) {
      ctx.addIssue({ code: 'custom', message: `environment variable ${variable} is not set` });
    }
    return value;
  };
  const resolveSecret = (text: string, ctx: z.RefinementCtx): Secret => {
    const { value, missing } = interpolate(text, env);
    if (missing.length === 0) return new Secret(value);
    if (options.lenient) {
      options.warnings?.push(...missing.map((v) => `${v} is not set`));
      return new Secret('', missing);
    }
    for (const variable of missing)
      ctx.addIssue({ code: 'custom', message: `environment variable ${variable} is not set` });
    return new Secret('', missing);
  };

  /** A plain string that may use `${ENV}` references (URLs, hosts, paths). */
  const text = z.string().min(1).transform(resolve);

  /** A credential: only a `${ENV}` reference is accepted, never a literal value. */
  const secret = z
    .string()
    .refine(isPureReference, { message: 'secrets must be a ${ENV_VAR} reference, not a literal value' })
    .transform(resolveSecret);

  /**
   * A string that may carry a credential inside (a header, a connection string): literal text and references
   * mix, and the result is a Secret.
   */
  const sensitive = z.string().transform((raw, ctx) => (hasReference(raw) ? resolveSecret(raw, ctx) : new Secret(raw)));

  /**
   * What a command check or action runs: an argv array (never a shell string), the directory it runs in, and the
   * names of the environment variables it may see (nothing else of the bot's environment reaches it).
   */
  const command = {
    argv: z.array(z.string().min(1)).min(1),
    cwd: text.optional(),
    env_allow: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).default([]),
  };

  return { text, secret, sensitive, command };
}
