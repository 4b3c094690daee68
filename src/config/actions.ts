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

/** An input's value: what a person fills in the action's form, placed as `{input.<name>}` in a command's argv. */
export const INPUT_PLACEHOLDER = /^input\.([a-z][a-z0-9_]{0,31})$/;

/** What an enum value may be: it lands in an argument, so no spaces and no leading `-`. */
const ENUM_VALUE = /^[A-Za-z0-9._:/@=+][A-Za-z0-9._:/@=+-]{0,99}$/;

const compiles = (pattern: string) => {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
};

/**
 * One input of an action's form: exactly one of `pattern` (an anchored regular expression the whole value must
 * match, such as `^[0-9a-f]{7,40}$`) or `enum` (the values offered in a menu).
 */
export const actionInputSchema = z
  .strictObject({
    label: z.string().min(1).max(48),
    hint: z.string().min(1).max(150).optional(),
    pattern: z
      .string()
      .refine(compiles, { message: 'not a valid regular expression' })
      .refine((p) => p.startsWith('^') && p.endsWith('$'), {
        message: 'anchor the pattern with ^ and $, so it matches the whole value',
      })
      .optional(),
    enum: z
      .array(z.string().regex(ENUM_VALUE, 'an enum value is letters, digits and . _ : / @ = + -, not starting with -'))
      .min(1)
      .max(100)
      .optional(),
    max_length: z.number().int().min(1).max(200).default(100),
  })
  .refine((i) => (i.pattern === undefined) !== (i.enum === undefined), {
    message: 'an input has exactly one of `pattern` or `enum`',
  });

export type ActionInput = z.infer<typeof actionInputSchema>;

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
    /**
     * What a person fills in before it runs (a form opens on the button): `{input.<name>}` in a command's argv.
     * Checked on the server against `pattern` or `enum`; a value that fails runs nothing.
     */
    /**
     * A guard: the action runs only where `value` (a ${VAR} reference, resolved at load) equals `equals`, such as
     * a migration rollback for development only. Anywhere else the request is refused with `because`.
     */
    only_if: z
      .strictObject({ value: f.text, equals: z.string().min(1), because: z.string().min(1).max(200) })
      .optional(),
    inputs: z
      .record(
        z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'input names are lowercase letters, digits and _'),
        actionInputSchema,
      )
      .default({}),
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
