import { z } from 'zod';
import type { ActionInput } from '../config/actions.js';

/** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

export type InputsParsed =
  | { ok: true; values: Record<string, string> }
  /** One sentence per input that was refused, keyed by the input's name (the form's block id). */
  | { ok: false; errors: Record<string, string> };

/** The zod schema of one input: its pattern or enum, its length, and never an option or a control character. */
export function inputSchema(input: ActionInput): z.ZodType<string> {
  const text = z
    .string({ error: `${input.label} is required.` })
    .trim()
    .min(1, `${input.label} is required.`)
    .max(input.max_length, `${input.label} is at most ${input.max_length} characters.`)
    .refine((v) => !CONTROL.test(v), `${input.label} may not hold a line break or a control character.`)
    .refine((v) => !v.startsWith('-'), `${input.label} may not start with "-" (it would be read as an option).`);
  if (input.enum) {
    const allowed = input.enum;
    return text.refine((v) => allowed.includes(v), `${input.label} must be one of ${allowed.join(', ')}.`);
  }
  const pattern = new RegExp(input.pattern ?? '^$', 'u');
  return text.refine((v) => pattern.test(v), `${input.label} must match ${input.pattern}.`);
}

/**
 * Parses what a person filled in an action's form against the action's inputs: every declared input must be
 * there and valid, nothing else is taken. Pure: the server calls it before anything is recorded or run.
 */
export function parseInputs(inputs: Readonly<Record<string, ActionInput>>, raw: Record<string, unknown>): InputsParsed {
  const values: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const [name, input] of Object.entries(inputs)) {
    const parsed = inputSchema(input).safeParse(Object.hasOwn(raw, name) ? raw[name] : undefined);
    if (parsed.success) values[name] = parsed.data;
    else errors[name] = parsed.error.issues[0]?.message ?? `${input.label} is not valid.`;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, values };
}

/** The placeholders of filled inputs: `{input.commit}` and friends. */
export function inputPlaceholders(values: Readonly<Record<string, string>>): Record<`input.${string}`, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [`input.${name}`, value]));
}
