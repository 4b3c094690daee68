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

async function lint(text: string, others: Record<string, string> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'incidentbot-runbooks-'));
  await writeFile(join(dir, 'slow.yml'), text);
  for (const [file, other] of Object.entries(others)) await writeFile(join(dir, file), other);
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

describe('post-deploy watches', () => {
  const change = (watch: string, document = '001') => `kind: change
id: deploy
title: Deploy
symptom: A release.
severity: sev3
source: { document: "${document}", section: "DEPLOYMENT SEQUENCE" }
steps:
  - title: Deploy
    manual: true
gates:
  - { name: a, title: A, after_step: 1 }
${watch}
`;
  const incident = { 'hurt.yml': playbook('001', '    manual: true').replace('id: slow', 'id: hurt\naliases: [ouch]') };
  const watch = (opens: string, checks = '[api-latency, api-port]', every = '5m') =>
    `watch:\n  windows:\n    - { every: ${every}, for: 1h, checks: ${checks} }\n` +
    `    - { every: 1h, for: 23h, checks: [api-port] }\n  failures_in_a_row: 3\n  opens: ${opens}`;

  it('accepts windows of checks the config defines, opening an incident playbook by id or alias', async () => {
    expect(await lint(change(watch('hurt')), incident)).toEqual([]);
    expect(await lint(change(watch('ouch')), incident)).toEqual([]);
  });

  it('refuses an unknown check, and a window that runs more than once a minute or outlasts itself', async () => {
    expect(await lint(change(watch('hurt', '[nope]')), incident)).toEqual([
      expect.stringMatching(/watch.windows.0.checks.0: no check or group named "nope"/),
    ]);
    expect(await lint(change(watch('hurt', '[api-port]', '30s')), incident)).toEqual([
      expect.stringMatching(/at most once a minute/),
    ]);
    expect(await lint(change(watch('hurt', '[api-port]', '2h')), incident)).toEqual([
      expect.stringMatching(/longer than the window/),
    ]);
  });

  it("refuses a watch on another service's runbook numbers", async () => {
    expect(await lint(change(watch('hurt'), '002'), incident)).toEqual(
      expect.arrayContaining([expect.stringMatching(/watch.windows.0.checks.0: check "api-latency" carries/)]),
    );
  });

  it('refuses opening a playbook that does not exist or is a change runbook, and a watch in an incident playbook', async () => {
    expect(await lint(change(watch('gone')), incident)).toEqual([expect.stringMatching(/no playbook "gone" to open/)]);
    expect(await lint(change(watch('deploy')), incident)).toEqual([
      expect.stringMatching(/"deploy" is a change runbook: a watch opens an incident playbook/),
    ]);
    const text = playbook('001', '    manual: true') + watch('hurt') + '\n';
    expect(await lint(text, incident)).toEqual([expect.stringMatching(/only a `kind: change` runbook has a watch/)]);
  });
});
