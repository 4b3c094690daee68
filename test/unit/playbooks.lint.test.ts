import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { configSchema } from '../../src/config/schema.js';
import { lintPlaybooks } from '../../src/playbooks/lint.js';
import { playbookJsonSchema } from '../../src/playbooks/schema.js';

const config = configSchema({}).parse({
  checks: { 'app-health': { kind: 'tcp', host: '127.0.0.1', port: 8000 } },
  actions: {
    'redis-rollback': { kind: 'command', title: 'Roll back Redis', argv: ['true'], allowed: { users: ['U0ONCALL01'] } },
  },
  escalation: { policies: { default: { levels: [{ name: 'Level 1', responders: {}, acknowledged_within: '15m' }] } } },
  stakeholders: { groups: { leadership: { channels: ['C0STAKEHOLD'] } } },
});

/** YAML written a line per argument. */
const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

const valid = (id: string, extra = '') => `id: ${id}
title: A playbook
symptom: Something is wrong.
severity: sev2
source: { document: "001", section: "Rollback" }
steps:
  - title: Look
${extra}`;

async function lintFiles(files: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'incidentbot-playbooks-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const result = await lintPlaybooks(dir, config);
  const at = (file: string) => result.problems.filter((p) => p.file.endsWith(file));
  return { ...result, at, dir };
}

describe('playbook lint', () => {
  it('accepts a valid playbook that refers to what the config defines', async () => {
    const { problems, playbooks } = await lintFiles({
      'ok.yml': valid(
        'redis-down',
        yaml(
          '    check: app-health',
          '  - title: Roll back',
          '    action: redis-rollback',
          'escalation: default',
          'rollback: [redis-rollback]',
          'notify: [leadership]',
        ),
      ),
    });
    expect(problems).toEqual([]);
    expect(playbooks[0]!.steps).toHaveLength(2);
  });

  it('reports a bad field with its file and line', async () => {
    const { at } = await lintFiles({ 'bad.yml': valid('bad-field', '    colour: red\n') + 'severity_level: 3\n' });
    const lines = at('bad.yml').map((p) => [p.line, p.message]);
    expect(lines).toContainEqual([8, expect.stringMatching(/colour/)]);
    expect(lines).toContainEqual([9, expect.stringMatching(/severity_level/)]);
  });

  it('reports duplicate ids and aliases across files', async () => {
    const { at } = await lintFiles({
      'a.yml': valid('cache') + 'aliases: [token-cache]\n',
      'b.yml': valid('cache'),
      'c.yml': valid('other') + 'aliases: [token-cache]\n',
    });
    expect(at('b.yml')[0]).toMatchObject({ line: 1, message: expect.stringContaining('"cache" is already used by') });
    expect(at('c.yml')[0]).toMatchObject({
      line: 8,
      message: expect.stringContaining('"token-cache" is already used'),
    });
  });

  it('reports references to checks, tokens, actions, policies and stakeholder groups the config lacks', async () => {
    const { at } = await lintFiles({
      'refs.yml': valid(
        'refs',
        yaml(
          '    check: nope',
          '  - title: Refresh',
          '    token: salesforce',
          '  - title: Undo',
          '    action: undo',
          'escalation: urgent',
          'rollback: [undo]',
          'notify: [everyone]',
        ),
      ),
    });
    const messages = at('refs.yml').map((p) => `${p.line} ${p.message}`);
    expect(messages).toEqual([
      '8 no check or group named "nope" in the config',
      '10 no token provider named "salesforce" in the config',
      '12 no action named "undo" in the config',
      '13 no escalation policy named "urgent" in the config',
      '14 no action named "undo" in the config',
      '15 no stakeholder group named "everyone" in the config',
    ]);
  });

  it('reports anything that looks like a credential', async () => {
    const { at } = await lintFiles({
      'leaky.yml': valid(
        'leaky',
        `    detail: "curl -u admin:hunter2x@db password=Sup3rS3cret!"
  - title: Use the key
    detail: "-----BEGIN RSA PRIVATE KEY----- abc"
  - title: Connect
    detail: "psql postgres://app:pa55word@10.0.0.1/app"
  - title: Call
    detail: "Authorization: Bearer abcdefghijklmnopqrstuvwxyz123456"
`,
      ),
    });
    const found = at('leaky.yml')
      .map((p) => `${p.line} ${p.message}`)
      .join('\n');
    expect(found).toMatch(/^8 looks like a password, secret or key value/m);
    expect(found).toMatch(/^10 looks like a private key/m);
    expect(found).toMatch(/^12 looks like a connection string with a password/m);
    expect(found).toMatch(/^14 looks like a bearer token/m);
  });

  it('does not flag placeholders', async () => {
    const { problems } = await lintFiles({
      'clean.yml': valid(
        'clean',
        '    detail: "password: <redacted-password>, token ${API_TOKEN}, Bearer YOUR_TOKEN_HERE"\n',
      ),
    });
    expect(problems).toEqual([]);
  });

  it('reports a step with two runners, a deadline on a missing step and a reserved id', async () => {
    const { at } = await lintFiles({
      'steps.yml': valid(
        'list',
        '    check: app-health\n    manual: true\ndeadlines:\n  - { name: rca, title: Root cause, within: 30m, met_by: { step: 9 } }\n',
      ),
    });
    const messages = at('steps.yml')
      .map((p) => p.message)
      .join('\n');
    expect(messages).toContain('at most one of `check`, `token`, `action` or `manual`');
    expect(messages).toContain('/incident subcommand');
  });

  it('reports YAML syntax errors with their line', async () => {
    const { at } = await lintFiles({ 'broken.yml': 'id: broken\nsteps: [\n' });
    expect(at('broken.yml')[0]!.line).toBeGreaterThanOrEqual(2);
  });
});

describe('incidentbot lint', () => {
  it('exits 1 and lists every problem as file:line', async () => {
    const { dir } = await lintFiles({ 'a.yml': valid('dup'), 'b.yml': valid('dup') + 'colour: red\n' });
    const lines: string[] = [];
    const code = await runCli(['lint', dir], { out: (l = '') => lines.push(l), err: (l) => lines.push(l) });
    expect(code).toBe(1);
    const text = lines.join('\n');
    expect(text).toMatch(/b\.yml:1:5 \(id\): "dup" is already used/);
    expect(text).toMatch(/b\.yml:8:1 \(colour\): .*colour/);
  });

  it('exits 0 on the shipped playbooks', async () => {
    const lines: string[] = [];
    const code = await runCli(['lint', resolve(import.meta.dirname, '../../playbooks')], {
      out: (l = '') => lines.push(l),
      err: (l) => lines.push(l),
    });
    expect(lines.join('\n')).toMatch(/\d+ playbooks OK/);
    expect(code).toBe(0);
  });

  it('lists the playbooks with their aliases', async () => {
    const lines: string[] = [];
    await runCli(['playbooks', resolve(import.meta.dirname, '../../playbooks')], {
      out: (l = '') => lines.push(l),
      err: (l) => lines.push(l),
    });
    expect(lines.find((l) => l.startsWith('auth-401'))).toMatch(/auth-401\s+auth-403\s+Authentication errors/);
  });
});

describe('playbooks/schema.json', () => {
  it('is the JSON Schema of the playbook format as the code defines it', async () => {
    const committed = JSON.parse(await readFile(resolve(import.meta.dirname, '../../playbooks/schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(playbookJsonSchema())));
  });
});

describe("lint of the config's actions", () => {
  it('reports an action whose argv uses a placeholder that does not exist', async () => {
    const withBadAction = configSchema({}).parse({
      actions: {
        oops: {
          kind: 'command',
          title: 'Oops',
          argv: ['tool', '{incident.owner}'],
          allowed: { users: ['U0ONCALL01'] },
        },
      },
    });
    const dir = await mkdtemp(join(tmpdir(), 'incidentbot-playbooks-'));
    const { problems } = await lintPlaybooks(dir, withBadAction);
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/^actions\.oops: .*\{incident\.owner\}, which is not a placeholder/),
    ]);
  });
});

describe("lint of the config's alert routes", () => {
  it('reports a route to a playbook that does not exist, at its line in the config file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'incidentbot-playbooks-'));
    await writeFile(join(dir, 'redis-down.yml'), valid('redis-down'));
    const configFile = join(dir, '..', `${dir.split('/').pop()}-incidentbot.yml`);
    const text = yaml(
      'alerts:',
      '  routes:',
      '    - match: { alertname: RedisDown }',
      '      playbook: redis-down',
      '    - match: { alertname: DiskFull }',
      '      playbook: disk-full',
    );
    await writeFile(configFile, text);
    const withRoutes = configSchema({}).parse({
      alerts: {
        routes: [
          { match: { alertname: 'RedisDown' }, playbook: 'redis-down' },
          { match: { alertname: 'DiskFull' }, playbook: 'disk-full' },
        ],
      },
    });
    const { problems } = await lintPlaybooks(dir, withRoutes, configFile);
    expect(problems.map((p) => `${p.line} ${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/^6 alerts\.routes\.1\.playbook: no playbook "disk-full"/),
    ]);
  });
});
