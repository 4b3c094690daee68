import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import { parseYaml } from '../../src/config/yamlSource.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import { playbookSchema } from '../../src/playbooks/schema.js';
import { type Coverage, coverageSchema, danglingHomes, uncovered } from '../support/seedCoverage.js';
import { seedOutline } from '../support/seedOutline.js';

const root = resolve(import.meta.dirname, '../..');
// CI keeps a copy of shared/ beside the clone; a worktree elsewhere names it with SEEDS_DIR.
const seedsDir = process.env.SEEDS_DIR ?? resolve(root, '../shared/seeds');
const mapFile = resolve(root, 'playbooks/coverage/seeds.yml');

async function readSeeds(dir: string): Promise<Map<string, string>> {
  if (!existsSync(dir))
    throw new Error(
      `the source runbooks are not at ${dir}: put shared/ beside the clone (../shared/seeds) or set SEEDS_DIR`,
    );
  const names = (await readdir(dir)).filter((n) => /^\d{3}_.*\.txt$/.test(n)).sort();
  return new Map(
    await Promise.all(names.map(async (n) => [n.slice(0, 3), await readFile(join(dir, n), 'utf8')] as const)),
  );
}

async function readMap(): Promise<Coverage> {
  const parsed = parseYaml(mapFile, await readFile(mapFile, 'utf8'), coverageSchema);
  if (!parsed.value) throw new Error(parsed.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('\n'));
  return parsed.value;
}

/** Every heading and item of every seed with no home, and every key of the map no seed has, as readable lines. */
function homeless(seeds: ReadonlyMap<string, string>, coverage: Coverage): string[] {
  const lines: string[] = [];
  for (const [document, text] of seeds) {
    const { missing, stale } = uncovered(seedOutline(text), coverage.seeds[document] ?? {});
    lines.push(...missing.map((i) => `${document} line ${i.line}: "${i.key}" has no home`));
    lines.push(...stale.map((k) => `${document}: "${k}" is mapped, but the seed has no such heading or item`));
  }
  for (const document of Object.keys(coverage.seeds))
    if (!seeds.has(document)) lines.push(`${document}: mapped, but there is no seed ${document}`);
  return lines;
}

describe('seed coverage', () => {
  it('gives every heading and item of every source runbook a home', async () => {
    const seeds = await readSeeds(seedsDir);
    expect([...seeds.keys()]).toEqual(['000', '001', '002', '003', '004']);
    expect(homeless(seeds, await readMap())).toEqual([]);
  });

  it('points only at playbooks, steps, gates, deadlines, watches and checks that exist', async () => {
    const { playbooks, problems } = await loadPlaybooks(resolve(root, 'playbooks'));
    expect(problems).toEqual([]);
    const { config } = await loadConfigFile(exampleConfigPath, {}, { isExample: true });
    const checks = new Set([...Object.keys(config.checks), ...Object.keys(config.groups)]);
    expect(danglingHomes(await readMap(), playbooks, checks)).toEqual([]);
  });

  it('says "manual" only with a reason', () => {
    const parsed = coverageSchema.safeParse({ seeds: { '001': { Overview: { manual: 'later' } } } });
    expect(parsed.success).toBe(false);
  });
});

describe('seed coverage, on a synthetic runbook', () => {
  const seed = [
    '# Title',
    '## Deploy',
    '- [ ] **Ship it**: run `deploy --host db.internal.example`',
    '  - [ ] Smoke test',
    '```bash',
    '- [ ] not an item: inside a fence',
    '```',
    '## Watch',
    '1. Check the dashboard: every hour',
    '## Extra ✅',
  ].join('\n');
  const playbook = playbookSchema.parse({
    kind: 'change',
    id: 'ship',
    title: 'Ship',
    symptom: 'A release.',
    severity: 'sev3',
    source: { document: '009', section: 'Deploy' },
    steps: [{ title: 'Ship it', manual: true }],
    gates: [{ name: 'shipped', title: 'Shipped', after_step: 1 }],
  });
  const map = (entries: Record<string, unknown>) => coverageSchema.parse({ seeds: { '009': entries } });

  it('names headings and items by their own words, never a command from the seed', () => {
    expect(seedOutline(seed).map((i) => i.key)).toEqual([
      'Deploy',
      'Deploy > Ship it',
      'Deploy > Ship it > Smoke test',
      'Watch',
      'Watch > Check the dashboard',
      'Extra',
    ]);
  });

  it('reports the sections and items the map leaves without a home, and keys the seed does not have', () => {
    const coverage = map({
      Deploy: 'ship',
      'Deploy > Ship it': 'ship step 1',
      'Deploy > Ship it > Smoke test': 'ship gate shipped',
      Watch: { manual: 'nobody watches in this test' },
      Gone: 'ship',
    });
    expect(homeless(new Map([['009', seed]]), coverage)).toEqual([
      '009 line 9: "Watch > Check the dashboard" has no home',
      '009 line 10: "Extra" has no home',
      '009: "Gone" is mapped, but the seed has no such heading or item',
    ]);
  });

  it('reports homes that point at a step, gate, deadline, watch, playbook or check that does not exist', () => {
    const coverage = map({
      Deploy: ['ship step 2', 'ship gate nope', 'ship deadline late', 'ship watch'],
      Watch: ['other', 'check missing', 'check here', 'ship step 1'],
    });
    expect(danglingHomes(coverage, [playbook], new Set(['here']))).toEqual([
      '009 "Deploy": ship has no step 2 (it has 1)',
      '009 "Deploy": ship has no gate "nope"',
      '009 "Deploy": ship has no deadline "late"',
      '009 "Deploy": ship has no watch',
      '009 "Watch": no playbook "other"',
      '009 "Watch": no check or group "missing" in the example config',
    ]);
  });

  it('refuses a home written any other way', () => {
    expect(coverageSchema.safeParse({ seeds: { '009': { Deploy: 'ship steps 1-2' } } }).success).toBe(false);
    expect(coverageSchema.safeParse({ seeds: { '009': { Deploy: 'Ship' } } }).success).toBe(false);
  });

  it('fails with a clear sentence when the seeds are absent', async () => {
    await expect(readSeeds(resolve(root, 'no-such-dir'))).rejects.toThrow(/source runbooks are not at .*SEEDS_DIR/);
  });
});
