import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(resolve(root, file), 'utf8');

describe('the Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => /^[A-Z]+\s/.test(l));

  it('copies only sources that exist in the repository', () => {
    const copies = instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from='));
    expect(copies.length).toBeGreaterThan(0);
    for (const line of copies) {
      const parts = line
        .split(/\s+/)
        .slice(1)
        .filter((p) => !p.startsWith('--'));
      for (const source of parts.slice(0, -1))
        expect(existsSync(resolve(root, source)), `${source} in "${line}"`).toBe(true);
    }
  });

  it('builds on Node 22 LTS, pinned by digest, in every stage that has Node', () => {
    const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1] ?? '';
    expect(image).toMatch(/^node:22(\.\d+)*-bookworm-slim@sha256:[0-9a-f]{64}$/);
    const froms = instructions.filter((l) => l.startsWith('FROM '));
    for (const from of froms) expect(from, from).toMatch(/^FROM (\$\{NODE_IMAGE\}|scratch) AS [a-z-]+$/);
  });

  it('has no npm, npx, corepack or yarn in the image it runs: the final stage is node and the app only', () => {
    const stages = dockerfile
      .replace(/\\\n/g, ' ')
      .split(/^FROM /m)
      .slice(1);
    const final = stages.at(-1)!;
    expect(final).toMatch(/^scratch AS runtime/);
    // The final stage runs nothing (so no package manager) and takes the system only from the node-only stage.
    expect(final).not.toMatch(/^RUN /m);
    const systemFrom = /^COPY --from=(\S+) \/ \/$/m.exec(final)?.[1];
    const nodeOnly = stages.find((s) => s.startsWith(`\${NODE_IMAGE} AS ${systemFrom}\n`));
    expect(nodeOnly, `the stage ${systemFrom}`).toBeDefined();
    for (const path of [
      '/usr/local/lib/node_modules',
      '/usr/local/bin/npm',
      '/usr/local/bin/npx',
      '/usr/local/bin/corepack',
    ])
      expect(nodeOnly, path).toContain(path);
    // The app's own copies come from the build stage, whose node_modules were pruned of dev dependencies.
    expect(final).toContain('COPY --from=build /app/node_modules ./node_modules');
    expect(stages[0]).toContain('npm prune --omit=dev');
    expect(final).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
  });

  it('is multi-stage, runs as a non-root user, checks /healthz and runs the built entry point', () => {
    expect(instructions.filter((l) => l.startsWith('FROM ')).length).toBeGreaterThanOrEqual(2);
    expect(instructions.some((l) => /^USER (node|\d{3,})/.test(l))).toBe(true);
    expect(instructions.find((l) => l.startsWith('HEALTHCHECK'))).toContain('/healthz');
    expect(instructions.find((l) => l.startsWith('CMD'))).toContain('dist/main.js');
    // dist/main.js is what tsconfig.build.json makes of src/main.ts.
    expect(JSON.parse(read('tsconfig.build.json')).compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    expect(existsSync(resolve(root, 'src/main.ts'))).toBe(true);
  });
});

describe('package.json', () => {
  const pkg = JSON.parse(read('package.json'));

  it('is an ESM package for Node 22 LTS (the image) that still installs on the Node 20.19+ this CI runs', () => {
    expect(pkg.type).toBe('module');
    expect(pkg.engines.node).toBe('^20.19.0 || >=22.12.0');
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    expect(major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19), process.version).toBe(true);
    for (const script of ['build', 'start', 'test', 'typecheck', 'lint', 'bench'])
      expect(pkg.scripts[script], script).toBeTruthy();
  });

  it('ships the incidentbot command, built by npm ci', () => {
    expect(pkg.bin.incidentbot).toBe('bin/incidentbot.js');
    expect(read('bin/incidentbot.js').startsWith('#!/usr/bin/env node')).toBe(true);
    expect(pkg.scripts.prepare).toContain('build');
  });

  it('keeps the README quick start to two commands that exist', () => {
    const readme = read('README.md');
    const quickStart = readme.slice(
      readme.indexOf('## Quick start'),
      readme.indexOf('\n## ', readme.indexOf('## Quick start') + 5),
    );
    expect(quickStart).toContain('npm ci && npm start');
    expect(quickStart).toContain('npm test');
    expect(read('.ci/run')).toContain('npm test');
  });
});
