import type { Playbook } from './schema.js';

/** The loaded playbooks, found by id or alias, with suggestions for a mistyped name. */
export class PlaybookCatalog {
  private readonly byKey = new Map<string, Playbook>();

  constructor(readonly all: readonly Playbook[]) {
    for (const playbook of all) {
      for (const key of [playbook.id, ...playbook.aliases]) this.byKey.set(key, playbook);
    }
  }

  find(idOrAlias: string): Playbook | undefined {
    return this.byKey.get(idOrAlias.toLowerCase());
  }

  get(id: string): Playbook {
    const playbook = this.byKey.get(id);
    if (!playbook) throw new Error(`playbook ${id} is not loaded`);
    return playbook;
  }

  /** The ids and aliases closest to what was typed, best first. */
  suggest(typed: string, limit = 3): string[] {
    const needle = typed.toLowerCase().slice(0, 40);
    return [...this.byKey.keys()]
      .map((key) => ({ key, score: distance(needle, key) - (key.startsWith(needle.slice(0, 3)) ? 1 : 0) - (key.includes(needle) || needle.includes(key) ? 2 : 0) }))
      .filter(({ key, score }) => score <= Math.max(3, Math.floor(key.length / 2)))
      .sort((a, b) => a.score - b.score || a.key.localeCompare(b.key))
      .slice(0, limit)
      .map(({ key }) => key);
  }
}

/** Levenshtein distance; the inputs are short ids, so the simple table is fine. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
