#!/usr/bin/env node
// The package's bin. `npm ci` builds dist/ (the `prepare` script), so this only loads the compiled CLI.
// `incidentbot playground` is the bot itself (dist/main.js), asked to run the local playground.
const playground = process.argv[2] === 'playground';
const entry = playground ? '../dist/main.js' : '../dist/cli/index.js';
let cli;
try {
  cli = await import(entry);
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist')) {
    console.error('incidentbot is not built yet: run `npm run build` (npm ci does it for you).');
    process.exit(1);
  }
  throw error;
}
if (!playground) process.exitCode = await cli.runCli(process.argv.slice(2));
