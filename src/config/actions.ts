import { z } from 'zod';
import { duration } from './duration.js';
import { type envFields, people } from './fields.js';

type Fields = ReturnType<typeof envFields>;

/** `{incident.key}`-style placeholders an argv element or body may contain. */
/**
 * `{incident.key}`-style placeholders an argv element, URL or body may contain.
 * `incident.summary` is typed by a person: it fills one argument at most,
 * never a shell, and a value that would read as an option is refused.
 */
export const ACTION_PLACEHOLDERS = [
  'incident.key',
  'incident.id',
  'incident.severity',
  'incident.playbook',
  'incident.channel',
  'incident.summary',
  'requester',
  'approver',
] as const;

/** Placeholders whose values a person types: in argv only where the action sets `allow_person_text`. */
export const PERSON_PLACEHOLDERS: readonly string[] = ['incident.summary'];

export function actionSchema(f: Fields) {
  const common = {
    title: z.string().min(1).max(150),
    description: z.string().optional(),
    /** Where it acts, said in the confirm dialog: "production API, all regions". */
    target: z.string().min(1).max(120).optional(),
    timeout: duration.default(120_000),
    /** Who may run it; checked on the server at every press. Empty means nobody. */
    allowed: people,
    approval: z.enum(['none', 'required']).default('none'),
    approval_expires: duration.default(15 * 60_000),
    /** Time-to-rollback target: the run is measured against it. */
    target_time: duration.optional(),
    dry_run: z.boolean().default(false),
  };
  const http = z.strictObject({
    kind: z.literal('http'),
    ...common,
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
    url: f.text,
    headers: z.record(z.string(), f.sensitive).default({}),
    body: z.string().optional(),
    expect_status: z.union([z.number().int(), z.array(z.number().int())]).default([200, 201, 202, 204]),
  });
  const command = z.strictObject({
    kind: z.literal('command'),
    ...common,
    ...f.command,
    max_output: z.number().int().min(256).max(1_000_000).default(4_000),
    /**
     * May an argument carry text a person typed (`{incident.summary}`)? Off by default; when on, such a value
     * may hold only letters, digits, spaces and `. _ : / -`.
     */
    allow_person_text: z.boolean().default(false),
  });
  return z.discriminatedUnion('kind', [http, command]);
}

export type ActionConfig = z.infer<ReturnType<typeof actionSchema>>;
