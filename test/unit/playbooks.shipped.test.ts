import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import { formatProblems, lintPlaybooks } from '../../src/playbooks/lint.js';

const playbooksDir = resolve(import.meta.dirname, '../../playbooks');

describe('the shipped playbooks and example config', () => {
  it('load without a single problem', async () => {
    const { config, warnings } = await loadConfigFile(exampleConfigPath, {}, { isExample: true });
    expect(warnings.length).toBeGreaterThan(0); // the example refers to credentials nobody has set here
    const { playbooks, problems } = await lintPlaybooks(playbooksDir, config);
    expect(formatProblems(problems)).toBe('');
    expect(playbooks.length).toBeGreaterThanOrEqual(20);
  });

  it('cover every procedure of the source runbooks', async () => {
    const { config } = await loadConfigFile(exampleConfigPath, {}, { isExample: true });
    const { playbooks } = await lintPlaybooks(playbooksDir, config);
    const ids = new Set(playbooks.flatMap((p) => [p.id, ...p.aliases]));
    for (const id of [
      'auth-401',
      'auth-403',
      'timeout',
      'cache',
      'asyncio',
      'redis-down',
      'telemetry',
      'webhooks',
      'database',
      'jobs-stopped',
      'critical',
      'deploy-failed',
      'slow',
      'hanging',
      'redis-wont-start',
      'cache-init',
      'slow-queries',
      'cache-miss',
      'tests-failing',
      'docker-build',
      'cannot-connect',
      'high-memory',
      'slow-responses',
    ]) {
      expect(ids, `playbook ${id}`).toContain(id);
    }
    const documents = new Set(playbooks.map((p) => p.source.document));
    expect([...documents].sort()).toEqual(['000', '001', '002', '003', '004']);
  });
});
