import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { sourceDocuments } from '../config/checks.js';
import type { Config } from '../config/schema.js';
import { parseYaml } from '../config/yamlSource.js';
import type { SourceProblem } from '../errors.js';
import { findCredentials } from './credentials.js';
import { escalationOf } from '../domain/escalation.js';
import { type Playbook, playbookSchema } from './schema.js';

export interface LoadResult {
  playbooks: Playbook[];
  problems: SourceProblem[];
}

/** What a playbook may refer to: the names the service config defines. */
export interface References {
  checks: ReadonlySet<string>;
  tokens: ReadonlySet<string>;
  actions: ReadonlySet<string>;
  policies: ReadonlySet<string>;
  stakeholderGroups: ReadonlySet<string>;
  /** For a check, or each check of a group: the runbooks its numbers come from (checks without `source` omitted). */
  runbooks?: ReadonlyMap<string, ReadonlyArray<{ check: string; documents: string[] }>>;
}

export function referencesOf(config: Config): References {
  return {
    checks: new Set([...Object.keys(config.checks), ...Object.keys(config.groups)]),
    tokens: new Set(Object.keys(config.tokens)),
    actions: new Set(Object.keys(config.actions)),
    policies: new Set(Object.keys(config.escalation.policies)),
    stakeholderGroups: new Set(Object.keys(config.stakeholders.groups)),
    runbooks: runbooksOf(config),
  };
}

function runbooksOf(config: Config): Map<string, Array<{ check: string; documents: string[] }>> {
  const of = (check: string) => {
    const spec = config.checks[check];
    const documents = spec ? sourceDocuments(spec) : [];
    return documents.length ? [{ check, documents }] : [];
  };
  return new Map([
    ...Object.keys(config.checks).map((name) => [name, of(name)] as const),
    ...Object.entries(config.groups).map(([name, group]) => [name, group.checks.flatMap(of)] as const),
  ]);
}

/**
 * Loads every `*.yml` in `dir` and reports all problems at once: schema
 * errors, duplicate ids and aliases, references the config does not define,
 * and anything that looks like a credential.
 */
export async function loadPlaybooks(dir: string, refs?: References): Promise<LoadResult> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (cause) {
    return {
      playbooks: [],
      problems: [
        {
          file: dir,
          line: 1,
          column: 1,
          path: '',
          message: `cannot read the playbooks folder: ${cause instanceof Error ? cause.message : String(cause)}`,
        },
      ],
    };
  }
  const problems: SourceProblem[] = [];
  const playbooks: Playbook[] = [];
  const owners = new Map<string, string>(); // id or alias -> the file that claimed it
  const watches: Array<{ playbook: Playbook; at: Locate }> = []; // checked once every playbook is known
  for (const name of names) {
    const path = join(dir, name);
    const file = relative(process.cwd(), path) || path;
    const parsed = parseYaml(file, await readFile(path, 'utf8'), playbookSchema);
    problems.push(...parsed.problems);
    for (const s of parsed.strings()) {
      for (const what of findCredentials(s.text)) {
        problems.push({
          file,
          line: s.line,
          column: s.column,
          path: s.path,
          message: `looks like ${what}: keep credentials in the environment and refer to config instead`,
        });
      }
    }
    // Ids are checked even in a file the schema rejected, so every problem shows in one run.
    for (const { key, where } of claimedKeys(parsed.value ?? parsed.doc.toJS())) {
      const owner = owners.get(key);
      if (owner) problems.push(parsed.problemAt(where, `"${key}" is already used by ${owner}`));
      else owners.set(key, file);
    }
    const playbook = parsed.value;
    if (!playbook) continue;
    if (refs) problems.push(...checkReferences(playbook, refs, parsed.problemAt));
    playbook.deadlines.forEach((d, i) => {
      if ('step' in d.met_by && d.met_by.step > playbook.steps.length) {
        problems.push(
          parsed.problemAt(
            ['deadlines', i, 'met_by', 'step'],
            `step ${d.met_by.step} does not exist: this playbook has ${playbook.steps.length} steps`,
          ),
        );
      }
    });
    problems.push(...gateProblems(playbook, parsed.problemAt));
    if (playbook.watch) watches.push({ playbook, at: parsed.problemAt });
    playbooks.push(playbook);
  }
  for (const { playbook, at } of watches) problems.push(...watchProblems(playbook, playbooks, at));
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { playbooks, problems };
}

function claimedKeys(raw: unknown): Array<{ key: string; where: Array<string | number> }> {
  const { id, aliases } = (raw ?? {}) as { id?: unknown; aliases?: unknown };
  const keys: Array<{ key: string; where: Array<string | number> }> =
    typeof id === 'string' ? [{ key: id, where: ['id'] }] : [];
  if (Array.isArray(aliases))
    aliases.forEach((alias, i) => typeof alias === 'string' && keys.push({ key: alias, where: ['aliases', i] }));
  return keys;
}

type Locate = (path: Array<string | number>, message: string) => SourceProblem;

function checkReferences(playbook: Playbook, refs: References, at: Locate): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const expect = (set: ReadonlySet<string>, value: string, path: Array<string | number>, what: string) => {
    if (!set.has(value)) problems.push(at(path, `no ${what} named "${value}" in the config`));
  };
  // A check of another service's runbook gives the wrong verdict here: a step may say why, a gate or watch may not.
  const foreign = (check: string, path: Array<string | number>, why: string) => {
    for (const c of (refs.runbooks?.get(check) ?? []).filter((c) => !c.documents.includes(playbook.source.document)))
      problems.push(
        at(
          path,
          `check "${c.check}" carries the numbers of ${c.documents.length > 1 ? 'documents' : 'document'} ` +
            `${c.documents.join(' and ')}, not this playbook's ${playbook.source.document}: ${why}`,
        ),
      );
  };
  playbook.steps.forEach((step, i) => {
    if (step.check) expect(refs.checks, step.check, ['steps', i, 'check'], 'check or group');
    if (step.check && !step.cross_runbook)
      foreign(step.check, ['steps', i, 'check'], "use that service's own check, or say why in `cross_runbook`");
    if (step.token) expect(refs.tokens, step.token, ['steps', i, 'token'], 'token provider');
    if (step.action) expect(refs.actions, step.action, ['steps', i, 'action'], 'action');
  });
  const policy = escalationOf(playbook).policy;
  if (policy)
    expect(
      refs.policies,
      policy,
      typeof playbook.escalation === 'string' ? ['escalation'] : ['escalation', 'policy'],
      'escalation policy',
    );
  playbook.rollback.forEach((a, i) => expect(refs.actions, a, ['rollback', i], 'action'));
  playbook.gates.forEach((g, i) => {
    g.checks.forEach((c, j) => {
      expect(refs.checks, c, ['gates', i, 'checks', j], 'check or group');
      foreign(c, ['gates', i, 'checks', j], "a gate decides on this service's own checks");
    });
    g.rollback.forEach((a, j) => expect(refs.actions, a, ['gates', i, 'rollback', j], 'action'));
  });
  playbook.watch?.windows.forEach((w, i) =>
    w.checks.forEach((c, j) => {
      expect(refs.checks, c, ['watch', 'windows', i, 'checks', j], 'check or group');
      foreign(c, ['watch', 'windows', i, 'checks', j], "a watch opens incidents on this service's own checks");
    }),
  );
  playbook.notify.forEach((g, i) => expect(refs.stakeholderGroups, g, ['notify', i], 'stakeholder group'));
  return problems;
}

/** A change runbook has gates, in step order, after steps it has; an incident playbook has none. */
function gateProblems(playbook: Playbook, at: Locate): SourceProblem[] {
  if (playbook.kind === 'incident')
    return playbook.gates.length ? [at(['gates'], 'only a `kind: change` runbook has gates')] : [];
  if (playbook.gates.length === 0) return [at(['kind'], 'a change runbook needs at least one GO/NO-GO gate')];
  const problems: SourceProblem[] = [];
  playbook.gates.forEach((g, i) => {
    if (g.after_step > playbook.steps.length)
      problems.push(
        at(
          ['gates', i, 'after_step'],
          `step ${g.after_step} does not exist: this runbook has ${playbook.steps.length} steps`,
        ),
      );
    const before = playbook.gates[i - 1];
    if (before && g.after_step < before.after_step)
      problems.push(
        at(['gates', i, 'after_step'], `gates stand in step order: this one is before gate "${before.name}"`),
      );
  });
  return problems;
}

/** A watch belongs to a change runbook and opens an incident playbook (by id or alias) of this folder. */
function watchProblems(playbook: Playbook, all: readonly Playbook[], at: Locate): SourceProblem[] {
  if (playbook.kind === 'incident') return [at(['watch'], 'only a `kind: change` runbook has a watch')];
  const opens = playbook.watch?.opens ?? '';
  const target = all.find((p) => p.id === opens || p.aliases.includes(opens));
  if (!target) return [at(['watch', 'opens'], `no playbook "${opens}" to open`)];
  if (target.kind !== 'incident')
    return [at(['watch', 'opens'], `"${opens}" is a change runbook: a watch opens an incident playbook`)];
  return [];
}
