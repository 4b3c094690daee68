import { z } from 'zod';
import { duration } from '../config/duration.js';
import { name } from '../config/fields.js';
import { SEVERITIES } from '../domain/severity.js';

/** Words that follow `/incident` as subcommands: no playbook may be called one of them. */
export const RESERVED_WORDS = [
  'list',
  'playbooks',
  'help',
  'health',
  'token',
  'ack',
  'acknowledge',
  'escalate',
  'severity',
  'note',
  'step',
  'resolve',
  'mitigate',
  'timeline',
  'report',
  'rollback',
  'commander',
  'status',
] as const;

export const playbookId = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{1,31}$/,
    'ids are short and typeable: lowercase letters, digits and -, 2 to 32 characters, starting with a letter',
  )
  .refine((id) => !(RESERVED_WORDS as readonly string[]).includes(id), {
    message: 'this word is an /incident subcommand',
  });

const stepSchema = z
  .strictObject({
    title: z.string().min(1).max(150),
    detail: z.string().max(2_000).optional(),
    /** A check or a check group from the config, run by the step's "Run check" button. */
    check: name.optional(),
    /** A token provider from the config, refreshed by the step's "Refresh token" button. */
    token: name.optional(),
    /** An action from the config, run by the step's "Run action" button. */
    action: name.optional(),
    manual: z.literal(true).optional(),
    /** Why the step's check carries the numbers of another runbook than the playbook's own (lint asks for it). */
    cross_runbook: z.string().min(1).max(300).optional(),
  })
  .refine((s) => [s.check, s.token, s.action, s.manual].filter((v) => v !== undefined).length <= 1, {
    message: 'a step has at most one of `check`, `token`, `action` or `manual`',
  });

/** Events that can meet a deadline, besides completing a step. */
export const DEADLINE_EVENTS = [
  'stakeholders_notified',
  'acknowledged',
  'mitigated',
  'resolved',
  'report_posted',
] as const;

const deadlineSchema = z.strictObject({
  name,
  title: z.string().min(1).max(100),
  within: duration,
  met_by: z.union([
    z.strictObject({ step: z.number().int().min(1) }),
    z.strictObject({ event: z.enum(DEADLINE_EVENTS) }),
  ]),
});

/**
 * A GO/NO-GO gate of a change runbook (`kind: change`): it stands after a step, closing the phase the steps
 * before it make. Its checks run when the phase is done; GO is offered only when they all pass, and a person
 * presses GO or NO-GO. NO-GO offers `rollback` (default: the playbook's).
 */
const gateSchema = z.strictObject({
  name,
  /** The GO/NO-GO criterion, in the runbook's words. */
  title: z.string().min(1).max(150),
  /** The phase the gate closes: "Phase 1: Infrastructure (Core Services)". */
  phase: z.string().min(1).max(100).optional(),
  after_step: z.number().int().min(1),
  /** Checks or groups from the config; none: the gate is a person's judgement, said in `title`. */
  checks: z.array(name).default([]),
  rollback: z.array(name).default([]),
});

/**
 * A change runbook's post-deploy watch. It starts when the change's last gate is GO; every window starts then
 * too, side by side, and runs its checks every `every` until `for` has passed (001: the critical metrics every
 * 5 minutes for 1 hour, the immediate alerts every minute for 24 hours, the hourly checks for 24 hours). When a
 * watched check fails `failures_in_a_row` runs of its window in a row, the watch opens an incident from the
 * incident playbook `opens`, linked to the change.
 */
const watchSchema = z.strictObject({
  windows: z
    .array(
      z
        .strictObject({
          every: duration,
          for: duration,
          /** Checks or groups from the config. */
          checks: z.array(name).min(1),
        })
        .refine((w) => w.every >= 60_000, { message: 'a watch runs its checks at most once a minute', path: ['every'] })
        .refine((w) => w.every <= w.for, { message: '`every` is longer than the window (`for`)', path: ['every'] }),
    )
    .min(1),
  failures_in_a_row: z.number().int().min(1).max(100),
  /** The incident playbook (id or alias) the watch opens when a check keeps failing. */
  opens: playbookId,
});

export const playbookSchema = z.strictObject({
  /** `incident` (a symptom's procedure, opened by `/incident <id>`) or `change` (a deployment with gates). */
  kind: z.enum(['incident', 'change']).default('incident'),
  id: playbookId,
  aliases: z.array(playbookId).default([]),
  title: z.string().min(1).max(120),
  symptom: z.string().min(1).max(1_000),
  severity: z.enum(SEVERITIES),
  source: z.strictObject({
    document: z.string().regex(/^\d{3}$/, 'the source document number, such as "001"'),
    section: z.string().min(1),
  }),
  steps: z.array(stepSchema).min(1).max(40),
  /**
   * An escalation policy from the config, by name, or with the level the incident starts at (document 000's
   * Level 1/2/3 are categories of issue: a performance incident pages level 2 first, then escalates upward).
   */
  escalation: z
    .union([name, z.strictObject({ policy: name, start_level: z.number().int().min(1).max(9).default(1) })])
    .optional(),
  /** Actions from the config offered as rollbacks. */
  rollback: z.array(name).default([]),
  /** Stakeholder groups from the config told about this incident. */
  notify: z.array(name).default([]),
  deadlines: z.array(deadlineSchema).default([]),
  /** A change runbook's GO/NO-GO gates, in step order. */
  gates: z.array(gateSchema).default([]),
  /** A change runbook's post-deploy watch (none: the change ends at its last gate). */
  watch: watchSchema.optional(),
});

export type Playbook = z.infer<typeof playbookSchema>;
export type PlaybookStep = Playbook['steps'][number];
export type Deadline = Playbook['deadlines'][number];
export type Gate = Playbook['gates'][number];
export type Watch = NonNullable<Playbook['watch']>;
export type WatchWindow = Watch['windows'][number];

/** The JSON Schema editors use to validate playbook files (committed as playbooks/schema.json). */
export function playbookJsonSchema(): object {
  return {
    ...z.toJSONSchema(playbookSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://github.com/incident-bot/incident-bot/playbooks/schema.json',
    title: 'incident-bot playbook',
  };
}
