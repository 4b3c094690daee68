import { z } from 'zod';
import { duration } from './duration.js';
import { name, people } from './fields.js';

/**
 * A level ends one of two ways: nobody acknowledged within N, or the incident
 * is still unresolved after N. Either way the next level is paged.
 */
/** Who a level pages: users, user groups, and the person on call for each schedule when the level is paged. */
const responders = people.extend({ schedules: z.array(name).default([]) });

const levelSchema = z
  .strictObject({
    name: z.string().min(1),
    responders: responders.prefault({}),
    /** Paged when a schedule of the level has nobody on call: a page never goes to nobody. */
    fallback: people.optional(),
    acknowledged_within: duration.optional(),
    unresolved_after: duration.optional(),
    /** What the responders of this level reach for: playbook ids and step titles. */
    playbooks: z.array(z.string()).default([]),
    steps: z.array(z.string()).default([]),
  })
  .refine((l) => (l.acknowledged_within === undefined) !== (l.unresolved_after === undefined), {
    message: 'a level ends by exactly one of `acknowledged_within` or `unresolved_after`',
  })
  .refine((l) => l.responders.schedules.length === 0 || l.fallback !== undefined, {
    message: 'a level that pages a schedule needs a `fallback` (users or user groups) for when nobody is on call',
    path: ['fallback'],
  });

export const escalationPolicySchema = z.strictObject({
  title: z.string().optional(),
  levels: z.array(levelSchema).min(1).max(9),
  /** After the last level, start again from the first this many times. */
  repeat: z.number().int().min(0).max(10).default(0),
});

export const escalationSchema = z.strictObject({
  policies: z.record(name, escalationPolicySchema).default({}),
  /** A severity may pick another policy than the playbook names. */
  by_severity: z.partialRecord(z.enum(['sev1', 'sev2', 'sev3', 'sev4']), name).default({}),
});

export type EscalationPolicy = z.infer<typeof escalationPolicySchema>;
export type EscalationLevel = EscalationPolicy['levels'][number];
export type LevelResponders = EscalationLevel['responders'];
export type EscalationConfig = z.infer<typeof escalationSchema>;
