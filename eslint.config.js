import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Each layer's allowed dependencies, stated once (DESIGN.md "Layout").
const io = ['node:*', 'pg', 'ioredis', '@slack/*', 'undici', 'ws', '@electric-sql/*'];
const composition = ['**/bot.js', '**/botDeps.js', '**/main.js'];
const layer = (files, patterns, message) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] },
});

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'data/',
      'coverage/',
      'test-results/',
      'src/playground/public/',
      'bin/',
      'scripts/',
      'eslint.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // `void promise` hides a rejection as surely as no handler at all: every background promise says what happens when it fails.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      // Ports are Promise-returning; an in-process adapter keeps `async` so a throw still becomes a rejection.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': 'error',
      // A `default:` that handles the rest on purpose (e.g. commands routed by a later engine) is exhaustive.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unnecessary-condition': 'error',
      // Strings and templates count too: a long message is built from named parts. A regex stays whole (splitting it
      // into strings loses the literal's syntax check); the long ones are built from a named word list instead.
      'max-len': ['error', { code: 140, ignoreUrls: true, ignoreRegExpLiterals: true }],
    },
  },
  {
    // Tests read JSON from HTTP answers and fixtures and assert on its shape: `any` there is what an assertion checks.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      // Tests probe values the types promise, so a broken promise fails an assertion instead of throwing.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // Test servers answer in `void` chains: an unhandled rejection fails the vitest run, as it should.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/restrict-template-expressions': 'off',
    },
  },
  {
    // The page runs in a browser: its handlers report their own failures in the page (a toast).
    files: ['src/playground/web/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }] },
  },
  {
    // First: a later config object naming the same rule replaces its options for the files it matches, so the
    // layers below repeat `composition` and each wins for its own files.
    ...layer(
      ['src/**/*.ts'],
      composition,
      'only main.ts and bot.ts (and the playground, which starts one) import the composition (bot.ts, botDeps.ts, main.ts)',
    ),
    ignores: ['src/main.ts', 'src/bot.ts', 'src/playground/start.ts'],
  },
  layer(
    ['src/domain/**/*.ts'],
    [...io, '**/store/**', '**/coord/**', '**/slack/**', '**/app/**', ...composition],
    'domain/ is pure: no I/O, no adapters',
  ),
  layer(
    // Block Kit builders are shared by slack/views/ and notify/ (which may not import slack/), so they live apart and
    // stay pure: types from @slack/types only, no client, no I/O, no adapter.
    ['src/blockKit/**/*.ts'],
    [
      ...io.filter((p) => p !== '@slack/*'),
      '@slack/web-api',
      '@slack/bolt',
      '**/store/**',
      '**/coord/**',
      '**/slack/**',
      '**/app/**',
      ...composition,
    ],
    'blockKit/ is pure Block Kit builders: no I/O, no adapters',
  ),
  layer(
    ['src/checks/**/*.ts', 'src/tokens/**/*.ts', 'src/actions/**/*.ts', 'src/notify/**/*.ts', 'src/paging/**/*.ts'],
    ['**/store/**', '**/slack/**', '**/app/**', ...composition],
    'engines do their one job: they import neither store/, slack/ nor app/',
  ),
  layer(
    ['src/process/**/*.ts', 'src/slackApi/**/*.ts'],
    [
      '**/store/**',
      '**/slack/**',
      '**/app/**',
      '**/checks/**',
      '**/tokens/**',
      '**/actions/**',
      '**/notify/**',
      ...composition,
    ],
    'process/ and slackApi/ are shared by the engines and the adapters: they import none of them',
  ),
  {
    // pg belongs to store/; the postgres health check is the one engine that speaks to a database on purpose.
    files: ['src/**/*.ts'],
    ignores: ['src/store/**', 'src/checks/postgres.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'pg', message: 'pg is used only in store/' }] }],
    },
  },
  {
    // A person's request finds its incident through app/access.ts `incidentFor`, which asks whether they may; the
    // unchecked `findIncident` is for the system's own paths (and for the files listed, which check on their own
    // or act for the system: a run's execution, an approval's expiry and the sweep of runs whose owner died).
    files: ['src/app/**/*.ts', 'src/slack/**/*.ts', 'src/http/**/*.ts', 'src/scheduler/**/*.ts'],
    ignores: [
      'src/app/access.ts',
      'src/app/actions.ts',
      'src/app/actionApprovals.ts',
      'src/app/executeRun.ts',
      'src/app/runOwner.ts',
      'src/app/report.ts',
      'src/app/health.ts',
      'src/app/tokens.ts',
      'src/slack/interactions.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'pg', message: 'pg is used only in store/' },
            ...['./context.js', '../context.js', '../app/context.js'].map((name) => ({
              name,
              importNames: ['findIncident'],
              message: 'use incidentFor from app/access.ts: it checks who may change or read the incident',
            })),
          ],
        },
      ],
    },
  },
  {
    // The domain is pure: time comes in as an argument, never from the clock.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'domain code takes `now` as an argument',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'domain code takes `now` as an argument',
        },
      ],
    },
  },
);
