import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.js';
import { loadConfigFile } from '../../src/config/load.js';
import { Secret } from '../../src/config/secret.js';
import { ProblemsError, type SourceProblem } from '../../src/errors.js';

async function configFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'incidentbot-config-'));
  const file = join(dir, 'incidentbot.yml');
  await writeFile(file, text);
  return file;
}

async function problemsOf(text: string, env: Record<string, string> = {}): Promise<SourceProblem[]> {
  const error = await loadConfigFile(await configFile(text), env).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemsError);
  return (error as ProblemsError).problems;
}

describe('the service config', () => {
  it('accepts an empty file and fills in every default', async () => {
    const { config } = await loadConfigFile(await configFile(''), {});
    expect(config).toMatchObject({
      incident_channel: 'dedicated',
      channel_prefix: 'inc',
      dry_run: false,
      checks: {},
      actions: {},
    });
    expect(config.stakeholders.update_every).toBe(30 * 60_000);
  });

  it('applies the source runbook defaults to a token provider', async () => {
    const { config } = await loadConfigFile(
      await configFile(
        [
          'tokens:',
          '  salesforce:',
          '    token_url: https://login.example.test/token',
          '    client_id: ${SF_ID}',
          '    client_secret: ${SF_SECRET}',
          '',
        ].join('\n'),
      ),
      { SF_ID: 'id-1', SF_SECRET: 's3cr3t-value' },
    );
    const provider = config.tokens.salesforce!;
    expect(provider).toMatchObject({
      timeout: 60_000,
      retries: 3,
      buffer: 600_000,
      proactive: { every: 900_000, window: 900_000 },
      alert_before: 1_200_000,
    });
    expect(provider.client_secret.reveal()).toBe('s3cr3t-value');
  });

  it('never prints a resolved secret', async () => {
    const { config } = await loadConfigFile(
      await configFile(
        'tokens:\n  sf:\n    token_url: http://127.0.0.1/token\n    client_id: ${SF_ID}\n    client_secret: ${SF_SECRET}\n',
      ),
      { SF_ID: 'id-1', SF_SECRET: 'hunter2-very-secret' },
    );
    expect(JSON.stringify(config)).not.toContain('hunter2');
    expect(inspect(config, { depth: 10 })).not.toContain('hunter2');
    expect(`${config.tokens.sf!.client_secret}`).toBe('[redacted]');
  });

  it('reports every problem at once, each with its line and path', async () => {
    const problems = await problemsOf(
      [
        'incident_channel: everywhere', // 1: not an option
        'checks:',
        '  api:',
        '    kind: http',
        '    url: ${API_URL}', // 5: unset variable
        '    timeout: soon', // 6: not a duration
        '    retries: 2',
        '    colour: blue', // 8: unknown field
        'tokens:',
        '  sf:',
        '    token_url: http://127.0.0.1/token',
        '    client_id: plain-text-id', // 12: a literal secret
        '    client_secret: ${SF_SECRET}', // 13: unset
        'groups:',
        '  core:',
        '    checks: [api, nope]', // 16: unknown check
      ].join('\n'),
    );
    const at = (line: number) =>
      problems
        .filter((p) => p.line === line)
        .map((p) => p.message)
        .join(' | ');
    expect(at(1)).toMatch(/dedicated|in_place/);
    expect(at(5)).toContain('API_URL is not set');
    expect(at(6)).toContain('"soon" is not a duration');
    expect(at(8)).toMatch(/colour/);
    expect(at(12)).toContain('${ENV_VAR} reference');
    expect(at(13)).toContain('SF_SECRET is not set');
    expect(at(16)).toContain('no check named "nope"');
    expect(problems.every((p) => p.file.endsWith('incidentbot.yml'))).toBe(true);
    expect(problems.find((p) => p.line === 6)?.path).toBe('checks.api.timeout');
  });

  it('reports YAML syntax errors with their line', async () => {
    const problems = await problemsOf('checks:\n  api: [unclosed\n');
    expect(problems[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses an alerts.token shorter than 32 characters, naming the field', async () => {
    const problems = await problemsOf('alerts:\n  token: ${AM_TOKEN}\n', { AM_TOKEN: 'short-token' });
    expect(problems).toEqual([expect.objectContaining({ path: 'alerts.token', line: 2 })]);
    expect(problems[0]!.message).toContain('alerts.token must be at least 32 characters');
    const { config } = await loadConfigFile(await configFile('alerts:\n  token: ${AM_TOKEN}\n'), {
      AM_TOKEN: 'x'.repeat(32),
    });
    expect(config.alerts.token?.reveal()).toHaveLength(32);
  });

  it('defaults access: channel members and responders change, anyone reads, 5 opens per person per 10 minutes', async () => {
    const { config } = await loadConfigFile(await configFile(''), {});
    expect(config.access).toEqual({
      change: { anyone: false, channel_members: true, responders: true, users: [], usergroups: [] },
      read: 'anyone',
      max_opens_per_person: 5,
      open_window: 10 * 60_000,
    });
    expect(config.alerts).toMatchObject({ max_new_incidents: 5, incident_window: 10 * 60_000 });
  });

  it('resolves ${VAR:-default} from the environment, else the default', async () => {
    const text = 'checks:\n  api:\n    kind: tcp\n    host: ${API_HOST:-127.0.0.1}\n    port: 8000\n';
    expect((await loadConfigFile(await configFile(text), {})).config.checks.api).toMatchObject({ host: '127.0.0.1' });
    expect((await loadConfigFile(await configFile(text), { API_HOST: '10.0.0.9' })).config.checks.api).toMatchObject({
      host: '10.0.0.9',
    });
  });

  it('loads the example leniently: an unset credential is a warning that names it, and using it says what to set', async () => {
    const file = await configFile(
      'tokens:\n  sf:\n    token_url: http://127.0.0.1/token\n    client_id: ${SF_ID}\n    client_secret: ${SF_SECRET}\n',
    );
    const { config, warnings } = await loadConfigFile(file, {}, { isExample: true });
    expect(warnings).toEqual(['SF_ID is not set', 'SF_SECRET is not set']);
    expect(() => config.tokens.sf!.client_secret.reveal()).toThrow(/set SF_SECRET/);
  });

  it('treats a Secret as opaque', () => {
    const secret = new Secret('xoxb-123');
    expect(String(secret)).toBe('[redacted]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}');
    expect(secret.reveal()).toBe('xoxb-123');
  });
});

describe('the environment', () => {
  it('runs without Slack when no credentials are set', () => {
    expect(parseEnv({}).slack).toEqual({ mode: 'none', apiUrl: 'https://slack.com/api/' });
  });

  it('picks HTTP mode with a bot token and signing secret, Socket Mode with an app token', () => {
    expect(parseEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'abcdefgh12345678' }).slack.mode).toBe('http');
    expect(parseEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack.mode).toBe('socket');
  });

  it('names the missing variable when the Slack credentials are half set', () => {
    expect(() => parseEnv({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET is not set/);
    expect(() => parseEnv({ SLACK_SIGNING_SECRET: 'abcdefgh12345678' })).toThrow(/SLACK_BOT_TOKEN is not set/);
  });

  it('rejects a malformed value with the variable named', () => {
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });

  it('defaults PORT, DATA_DIR, PLAYBOOKS_DIR and LOG_LEVEL as the runtime contract says', () => {
    expect(parseEnv({})).toMatchObject({
      PORT: 3000,
      DATA_DIR: './data',
      PLAYBOOKS_DIR: './playbooks',
      LOG_LEVEL: 'info',
    });
  });
});
