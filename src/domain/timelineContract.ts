import { z } from 'zod';
import { TIMELINE_DATA, TIMELINE_KINDS } from './timeline.js';

/** A field's type in words, for people building dashboards on the table. */
function typeOf(schema: z.core.$ZodType): string {
  if (schema instanceof z.ZodOptional) return typeOf(schema.unwrap());
  const description = z.globalRegistry.get(schema)?.description;
  if (description) return description;
  if (schema instanceof z.ZodString) return 'text';
  if (schema instanceof z.ZodNumber) return 'number';
  if (schema instanceof z.ZodBoolean) return 'boolean';
  if (schema instanceof z.ZodEnum) return schema.options.map(String).join(' \\| ');
  if (schema instanceof z.ZodArray) return `list of ${typeOf(schema.element)}`;
  return 'value';
}

function fieldsOf(shape: Readonly<Record<string, z.core.$ZodType>>): string {
  const fields = Object.entries(shape).map(([name, schema]) => {
    const optional = schema instanceof z.ZodOptional ? '?' : '';
    return `\`${name}${optional}\` ${typeOf(schema)}`;
  });
  return fields.join(', ') || '—';
}

/**
 * The timeline's contract as a Markdown table (kind, `data` fields, when it is
 * written), generated from TIMELINE_DATA so the README cannot drift from the code.
 */
export function timelineContractTable(): string {
  const rows = TIMELINE_KINDS.map((kind) => {
    const { shape, when } = TIMELINE_DATA[kind];
    return `| \`${kind}\` | ${fieldsOf(shape)} | ${when} |`;
  });
  return ['| kind | `data` fields (`?`: not always present) | written when |', '|---|---|---|', ...rows].join('\n');
}
