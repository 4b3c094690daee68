import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { parseDuration } from '../../src/config/duration.js';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import { routeFor } from '../../src/domain/alerts.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';

/**
 * deploy/prometheus/rules.yml: checked and unit-tested with promtool when it is on the machine (skipped, loudly,
 * when not; .ci/run installs Debian's prometheus package), and every alert routed by the example config to the
 * playbook its labels name.
 */
const root = resolve(import.meta.dirname, '../..');
const dir = join(root, 'deploy/prometheus');

function promtool(): string | undefined {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(d, 'promtool');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
const PROMTOOL = promtool();
if (!PROMTOOL)
  console.warn(
    'SKIPPED: promtool is not installed, so `promtool check rules` and `promtool test rules` do not run here ' +
      "(the rules are still parsed and routed). .ci/run installs Debian's prometheus package, which has it.",
  );

const rule = z.object({
  alert: z.string(),
  expr: z.string(),
  for: z.string(),
  labels: z.object({ playbook: z.string(), runbook: z.enum(['001', '004']), severity: z.string() }),
  annotations: z.object({ summary: z.string() }),
});
const rules = z
  .object({ groups: z.array(z.object({ name: z.string(), rules: z.array(rule) })) })
  .parse(parse(readFileSync(join(dir, 'rules.yml'), 'utf8')))
  .groups.flatMap((g) => g.rules);

describe('the shipped alert rules', () => {
  it.skipIf(!PROMTOOL)('pass promtool check rules', () => {
    const out = execFileSync(PROMTOOL!, ['check', 'rules', 'rules.yml'], { cwd: dir, encoding: 'utf8' });
    expect(out).toContain(`SUCCESS: ${rules.length} rules found`);
  });

  it.skipIf(!PROMTOOL)('pass their promtool unit tests (rules.test.yml)', () => {
    const out = execFileSync(PROMTOOL!, ['test', 'rules', 'rules.test.yml'], { cwd: dir, encoding: 'utf8' });
    expect(out).toContain('SUCCESS');
  });

  it("hold document 004's six alerts and document 001's five immediate alerts, those within 5 minutes", () => {
    const of = (runbook: string) => rules.filter((r) => r.labels.runbook === runbook);
    expect(of('004').map((r) => r.alert)).toEqual([
      'HighErrorRate',
      'HighResponseTime',
      'HighCPUUsage',
      'HighMemoryUsage',
      'DiskSpaceHigh',
      'ServiceDown',
    ]);
    expect(of('001').map((r) => r.alert)).toEqual([
      'RedisDown',
      'DatabaseQueryErrors',
      'WebhookDeliveryFailures',
      'JobProcessingStopped',
      'OTELExportFailures',
    ]);
    for (const r of of('001')) expect(parseDuration(r.for) ?? Infinity, r.alert).toBeLessThan(5 * 60_000);
    expect(of('004').find((r) => r.alert === 'HighCPUUsage')?.for).toBe('5m');
  });

  it('are each routed by the example config to the playbook their labels name, which exists', async () => {
    const { config } = await loadConfigFile(exampleConfigPath, {}, { isExample: true });
    const { playbooks } = await loadPlaybooks(join(root, 'playbooks'));
    const ids = new Set(playbooks.map((p) => p.id));
    for (const r of rules) {
      const route = routeFor(config.alerts.routes, { alertname: r.alert, ...r.labels });
      expect(route?.playbook, r.alert).toBe(r.labels.playbook);
      expect(ids.has(r.labels.playbook), r.labels.playbook).toBe(true);
    }
  });
});
