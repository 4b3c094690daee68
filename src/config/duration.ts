import { z } from 'zod';

// Saying a duration is domain logic; kept importable from here for code written before it moved.
export { formatDuration } from '../domain/duration.js';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/** Parses `500ms`, `60s`, `10m`, `1h30m` into milliseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^(\d+(?:\.\d+)?(ms|s|m|h|d))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return Math.round(total);
}

/** A duration field in a config or playbook file: a string such as `15m`, parsed to milliseconds. */
export const duration = z
  .string()
  .transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration; write it like 500ms, 60s, 10m or 1h` });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ description: 'A duration such as 500ms, 60s, 10m, 1h or 1h30m', pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h|d))+$' });
