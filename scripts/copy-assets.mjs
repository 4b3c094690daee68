// tsc compiles only TypeScript; the SQL migrations and the playground's static files ship beside it.
// Each target is emptied first: a migration renamed or removed in src/ must not linger in dist/ and run again
// under its old name ("relation already exists" on a fresh database).
import { cpSync, existsSync, rmSync } from 'node:fs';

const assets = [
  ['src/store/migrations', 'dist/store/migrations'],
  ['src/playground/public', 'dist/playground/public'],
];
for (const [from, to] of assets) {
  rmSync(to, { recursive: true, force: true });
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
