import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import { escalationOf, startLevel } from '../../src/domain/escalation.js';
import { lintPlaybooks } from '../../src/playbooks/lint.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';

const source = (document: string) => ({ document, section: 'Somewhere' });
const config = configSchema({}).parse({
  checks: {
    'api-latency': {
      kind: 'metrics',
      url: 'http://127.0.0.1:8000/metrics',
      source: [source('001'), source('003')],
      thresholds: [{ name: 'p95', quantile: { histogram: 'h', q: 0.95 }, op: '<', value: 0.2 }],
    },
    'api-port': { kind: 'tcp', host: '127.0.0.1', port: 8000 },
  },
  groups: { backend: { checks: ['api-port', 'api-latency'] } },
  escalation: {
    policies: {
      default: {
        levels: [1, 2, 3].map((n) => ({ name: `Level ${n}`, responders: {}, acknowledged_within: '15m' })),
      },
    },
  },
});

const playbook = (document: string, step: string) => `id: slow
title: Slow
symptom: Slow.
severity: sev3
source: { document: "${document}", section: "Performance" }
steps:
  - title: Look
${step}
`;

async function lint(text: string) {
  const dir = await mkdtemp(join(tmpdir(), 'incidentbot-runbooks-'));
  await writeFile(join(dir, 'slow.yml'), text);
  return (await lintPlaybooks(dir, config)).problems.map((p) => `${p.path}: ${p.message}`);
}

describe("a check carries its own runbook's numbers", () => {
  it("accepts a check from the playbook's own runbook, and a check of no runbook", async () => {
    expect(await lint(playbook('003', '    check: api-latency'))).toEqual([]);
    expect(await lint(playbook('002', '    check: api-port'))).toEqual([]);
  });

  it("refuses a check from another service's runbook, saying whose numbers it carries", async () => {
    expect(await lint(playbook('002', '    check: api-latency'))).toEqual([
      expect.stringMatching(/"api-latency" carries the numbers of documents 001 and 003, not this playbook's 002/),
    ]);
  });

  it("refuses a group holding another runbook's check", async () => {
    expect(await lint(playbook('004', '    check: backend'))).toEqual([expect.stringMatching(/"api-latency"/)]);
  });

  it('accepts it when the step says why', async () => {
    const why = '    check: api-latency\n    cross_runbook: Document 002 names no latency target; 001 is the closest.';
    expect(await lint(playbook('002', why))).toEqual([]);
  });
});

describe('start levels', () => {
  const policy = config.escalation.policies.default!;

  it('starts at level 1 when the playbook names only a policy', () => {
    expect(escalationOf({ escalation: 'default' })).toEqual({ policy: 'default', startLevel: 1 });
    expect(startLevel({ escalation: 'default' }, 'default', policy)).toBe(1);
  });

  it("starts at the playbook's level when its own policy is in force", () => {
    expect(startLevel({ escalation: { policy: 'default', start_level: 3 } }, 'default', policy)).toBe(3);
  });

  it("starts at level 1 under a severity's other policy, and never past the last level", () => {
    expect(startLevel({ escalation: { policy: 'default', start_level: 3 } }, 'critical', policy)).toBe(1);
    expect(startLevel({ escalation: { policy: 'default', start_level: 9 } }, 'default', policy)).toBe(3);
  });

  it('refuses a start level outside 1-9 in a playbook', async () => {
    const text = playbook('003', '    manual: true').replace(
      'steps:',
      'escalation: { policy: default, start_level: 0 }\nsteps:',
    );
    expect(await lint(text)).toEqual([expect.stringMatching(/start_level/)]);
  });

  it("the shipped playbooks start at the level of document 000's category that lists them", async () => {
    const { config: example } = await loadConfigFile(exampleConfigPath, {}, { isExample: true });
    const { playbooks } = await loadPlaybooks(resolve(import.meta.dirname, '../../playbooks'));
    const levels = example.escalation.policies.default!.levels;
    const started = Object.fromEntries(
      playbooks.filter((p) => escalationOf(p).policy === 'default').map((p) => [p.id, escalationOf(p).startLevel]),
    );
    const expected = Object.fromEntries(
      levels.flatMap((level, i) => level.playbooks.filter((id) => id in started).map((id) => [id, i + 1])),
    );
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(9);
    for (const [id, level] of Object.entries(expected)) expect(started[id], id).toBe(level);
    expect(started).toMatchObject({ 'auth-401': 1, timeout: 2, cache: 2, asyncio: 3, hanging: 3 });
  });
});

describe('change runbooks', () => {
  const change = (gates: string) => `kind: change
id: deploy
title: Deploy
symptom: A release.
severity: sev3
source: { document: "001", section: "DEPLOYMENT SEQUENCE" }
steps:
  - title: Deploy
    manual: true
  - title: Watch
    manual: true
${gates}
`;

  it('accepts gates in step order, after steps the runbook has, with checks the config defines', async () => {
    const gates =
      'gates:\n  - { name: a, title: A, after_step: 1, checks: [api-port] }\n  - { name: b, title: B, after_step: 2 }';
    expect(await lint(change(gates))).toEqual([]);
  });

  it('refuses a change without gates, a gate past the last step or out of order, and an unknown check', async () => {
    expect(await lint(change(''))).toEqual([expect.stringMatching(/at least one GO\/NO-GO gate/)]);
    const bad =
      'gates:\n  - { name: a, title: A, after_step: 2, checks: [nope] }\n  - { name: b, title: B, after_step: 1 }\n' +
      '  - { name: c, title: C, after_step: 3 }';
    expect(await lint(change(bad))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/no check or group named "nope"/),
        expect.stringMatching(/in step order/),
        expect.stringMatching(/step 3 does not exist/),
      ]),
    );
  });

  it('refuses gates in an incident playbook', async () => {
    const text = playbook('003', '    manual: true') + 'gates:\n  - { name: a, title: A, after_step: 1 }\n';
    expect(await lint(text)).toEqual([expect.stringMatching(/only a `kind: change` runbook has gates/)]);
  });
});
