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

  it('is an ESM package for Node 20 with the scripts the README promises', () => {
    expect(pkg.type).toBe('module');
    expect(pkg.engines.node).toMatch(/>=\s*20/);
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
