import { z } from 'zod';
import { accessSchema } from './access.js';
import { actionSchema } from './actions.js';
import { alertsSchema } from './alerts.js';
import { checkGroupSchema, checkSchema } from './checks.js';
import { duration } from './duration.js';
import { escalationSchema } from './escalation.js';
import { pagingSchema, peopleSchema } from './paging.js';
import { type EnvOptions, envFields, name } from './fields.js';
import type { Env } from './secret.js';
import { scheduleSchema } from './schedules.js';
import { stakeholdersSchema } from './stakeholders.js';
import { stormSchema } from './storm.js';
import { tokenProviderSchema } from './tokens.js';

/**
 * The service config file, `incidentbot.yml`. Every section has a default so
 * an empty file is a valid (if quiet) config; `incidentbot.example.yml`
 * documents each field with the source runbooks' values.
 */
export function configSchema(env: Env, options: EnvOptions = {}) {
  const fields = envFields(env, options);
  return z.strictObject({
    /** `dedicated` opens a channel per incident; `in_place` posts where the command was typed. */
    incident_channel: z.enum(['dedicated', 'in_place']).default('dedicated'),
    /** Incident channels are named `<prefix>-<n>-<playbook-id>`. */
    channel_prefix: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,20}$/)
      .default('inc'),
    /** Every action shows what it would run instead of running it. */
    dry_run: z.boolean().default(false),
    /** The local playground runs actions as dry runs unless this says otherwise. */
    playground: z.strictObject({ run_actions: z.boolean().default(false) }).prefault({}),
    /** How long before a deadline the commander is reminded. */
    deadline_reminder: duration.default(5 * 60_000),
    checks: z.record(name, checkSchema(fields)).default({}),
    groups: z.record(name, checkGroupSchema).default({}),
    tokens: z.record(name, tokenProviderSchema(fields)).default({}),
    escalation: escalationSchema.prefault({}),
    stakeholders: stakeholdersSchema.prefault({}),
    /** Alert storms: beyond so many new incidents a minute, new ones open in a shared channel's threads. */
    storm: stormSchema.prefault({}),
    actions: z.record(name, actionSchema(fields)).default({}),
    alerts: alertsSchema(fields).prefault({}),
    access: accessSchema.prefault({}),
    /** Who may be paged beyond Slack, and how (README, "Paging"). */
    people: peopleSchema,
    paging: pagingSchema(fields).prefault({}),
    /** On-call schedules: rotations, who is on call, handoffs (README "Schedules"). */
    schedules: z.record(name, scheduleSchema(fields)).default({}),
  });
}

export type Config = z.infer<ReturnType<typeof configSchema>>;
