#!/usr/bin/env node
// The package's bin. `npm ci` builds dist/ (the `prepare` script), so this only loads the compiled CLI.
let cli;
try {
  cli = await import('../dist/cli.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist')) {
    console.error('incidentbot is not built yet: run `npm run build` (npm ci does it for you).');
    process.exit(1);
  }
  throw error;
}
process.exitCode = await cli.runCli(process.argv.slice(2));
