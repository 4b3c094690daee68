import { closestNames } from '../domain/text.js';
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
    return closestNames(typed, this.byKey.keys(), limit);
  }
}
