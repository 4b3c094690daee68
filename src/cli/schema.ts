// `incidentbot schema [--write]`: the playbooks' JSON Schema, printed or written to playbooks/schema.json.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { packageRoot } from '../config/load.js';
import { playbookJsonSchema } from '../playbooks/schema.js';
import type { Io } from './io.js';

export async function schema(args: string[], { out }: Io): Promise<number> {
  const text = `${JSON.stringify(playbookJsonSchema(), null, 2)}\n`;
  if (args.includes('--write')) {
    const target = resolve(packageRoot, 'playbooks', 'schema.json');
    await writeFile(target, text);
    out(`wrote ${target}`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}
