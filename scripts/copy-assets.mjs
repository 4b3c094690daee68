// tsc compiles only TypeScript; the SQL migrations and the playground's static files ship beside it.
import { cpSync, existsSync } from 'node:fs';

const assets = [
  ['src/store/migrations', 'dist/store/migrations'],
  ['src/playground/public', 'dist/playground/public'],
];
for (const [from, to] of assets) {
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
