import { z } from 'zod';
import type { Playbook } from '../../src/playbooks/schema.js';
import type { SeedItem } from './seedOutline.js';

/**
 * The coverage map (playbooks/coverage/seeds.yml): for every heading and item of every source runbook, where it
 * lives in the bot. A home is one of
 *
 *   <playbook>                   the whole playbook or change runbook (a section it is made of)
 *   <playbook> step <n>          one of its steps
 *   <playbook> gate <name>       one of a change's GO/NO-GO gates
 *   <playbook> deadline <name>   one of its deadlines
 *   <playbook> watch             a change's post-deploy watch
 *   check <name>                 a check or group of the example config
 *   { manual: <why> }            nowhere in the bot, and why
 */
export type Home =
  | { playbook: string; step?: number; gate?: string; deadline?: string; watch?: true }
  | { check: string }
  | { manual: string };

const HOME = /^([a-z][a-z0-9-]{1,31})(?: (step|gate|deadline) ([a-z0-9_-]+)| (watch))?$/;

const home = z.union([
  z
    .string()
    .regex(/^check [a-z0-9][a-z0-9_-]*$/, 'write a home as `<playbook> [step <n>|gate <name>|...]` or `check <name>`')
    .transform((s): Home => ({ check: s.slice('check '.length) })),
  z
    .string()
    .regex(HOME, 'write a home as `<playbook> [step <n>|gate <name>|deadline <name>|watch]` or `check <name>`')
    .transform((s): Home => {
      const [, playbook, what, which, watch] = HOME.exec(s)!;
      if (watch) return { playbook: playbook!, watch: true };
      if (what === 'step') return { playbook: playbook!, step: Number(which) };
      if (what === 'gate') return { playbook: playbook!, gate: which! };
      if (what === 'deadline') return { playbook: playbook!, deadline: which! };
      return { playbook: playbook! };
    }),
  z.strictObject({ manual: z.string().min(10, 'say why the bot has no home for it') }),
]);

export const coverageSchema = z.strictObject({
  /** By document number ("001"): the seed's keys (as seedOutline names them) and their homes. */
  seeds: z.record(
    z.string().regex(/^\d{3}$/),
    z.record(
      z.string().min(1),
      z.union([home, z.array(home).min(1)]).transform((h) => (Array.isArray(h) ? h : [h])),
    ),
  ),
});
export type Coverage = z.infer<typeof coverageSchema>;

/** Keys of the seed's outline with no home in the map, and keys in the map the seed no longer has. */
export function uncovered(
  outline: readonly SeedItem[],
  homes: Readonly<Record<string, unknown>>,
): { missing: SeedItem[]; stale: string[] } {
  const keys = new Set(outline.map((i) => i.key));
  return {
    missing: outline.filter((i) => !(i.key in homes)),
    stale: Object.keys(homes).filter((k) => !keys.has(k)),
  };
}

/** Homes that point at nothing: a playbook, step, gate, deadline, watch or check that does not exist. */
export function danglingHomes(
  coverage: Coverage,
  playbooks: readonly Playbook[],
  checks: ReadonlySet<string>,
): string[] {
  const byId = new Map(playbooks.map((p) => [p.id, p]));
  const problems: string[] = [];
  for (const [document, entries] of Object.entries(coverage.seeds))
    for (const [key, homes] of Object.entries(entries))
      for (const h of homes) {
        const why = wrong(h, byId, checks);
        if (why) problems.push(`${document} "${key}": ${why}`);
      }
  return problems;
}

function wrong(h: Home, byId: ReadonlyMap<string, Playbook>, checks: ReadonlySet<string>): string | undefined {
  if ('manual' in h) return undefined;
  if ('check' in h) return checks.has(h.check) ? undefined : `no check or group "${h.check}" in the example config`;
  const p = byId.get(h.playbook);
  if (!p) return `no playbook "${h.playbook}"`;
  if (h.step !== undefined && (h.step < 1 || h.step > p.steps.length))
    return `${h.playbook} has no step ${h.step} (it has ${p.steps.length})`;
  if (h.gate !== undefined && !p.gates.some((g) => g.name === h.gate)) return `${h.playbook} has no gate "${h.gate}"`;
  if (h.deadline !== undefined && !p.deadlines.some((d) => d.name === h.deadline))
    return `${h.playbook} has no deadline "${h.deadline}"`;
  if (h.watch && !p.watch) return `${h.playbook} has no watch`;
  return undefined;
}
