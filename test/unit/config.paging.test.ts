import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import { ProblemsError, type SourceProblem } from '../../src/errors.js';

async function load(text: string, env: Record<string, string> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'incidentbot-paging-'));
  const file = join(dir, 'incidentbot.yml');
  await writeFile(file, text);
  return loadConfigFile(file, env);
}

async function problemsOf(text: string, env: Record<string, string> = {}): Promise<SourceProblem[]> {
  const error = await load(text, env).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemsError);
  return (error as ProblemsError).problems;
}

const TWILIO = `
paging:
  twilio:
    account_sid: \${TWILIO_ACCOUNT_SID}
    auth_token: \${TWILIO_AUTH_TOKEN}
    from: "+15005550006"
`;

describe('the people: and paging: config', () => {
  it('defaults a person to Slack at once', async () => {
    const { config } = await load('people:\n  U0ONCALL01:\n    email: ada@example.com\n');
    expect(config.people.U0ONCALL01).toEqual({ email: 'ada@example.com', rules: [{ via: 'slack', after: 0 }] });
    // No channel but Slack's own; pages by DM paced at Slack's one message a second per channel.
    expect(config.paging).toEqual({ dm_min_interval: 1_000 });
  });

  it('refuses to start when an enabled channel misses a credential, naming it', async () => {
    const problems = await problemsOf(TWILIO, { TWILIO_ACCOUNT_SID: 'AC1' });
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      ['paging.twilio.auth_token', 'environment variable TWILIO_AUTH_TOKEN is not set'],
    ]);
  });

  it('takes credentials only as ${ENV} references', async () => {
    const problems = await problemsOf(TWILIO.replace('${TWILIO_AUTH_TOKEN}', 'literal-token'), {
      TWILIO_ACCOUNT_SID: 'AC1',
    });
    expect(problems.map((p) => p.message)).toEqual(['secrets must be a ${ENV_VAR} reference, not a literal value']);
  });

  it('refuses a rule its channel or the person cannot serve, and a phone number not in E.164', async () => {
    const problems = await problemsOf(
      `people:
  U0ONCALL01:
    phone: "555 0101"
    rules: [{ via: email, after: 5m }, { via: sms, after: 10m }]
  U0SECOND02:
    rules: [{ via: voice, after: 1m }]
${TWILIO}`,
      { TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 'x' },
    );
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'people.U0ONCALL01.phone: write a phone number in E.164, like +14155550123',
      'people.U0ONCALL01.rules.0.via: email needs a paging.smtp block',
      'people.U0ONCALL01.rules.0.via: email needs an email for U0ONCALL01',
      'people.U0SECOND02.rules.0.via: voice needs a phone number for U0SECOND02',
    ]);
  });

  it('loads the shipped example with only warnings for the paging credentials', async () => {
    const { warnings, config } = await loadConfigFile(exampleConfigPath, {}, { isExample: true });
    expect(warnings).toEqual(
      expect.arrayContaining(['TWILIO_AUTH_TOKEN is not set', 'PAGERDUTY_ROUTING_KEY is not set']),
    );
    expect(config.people.U0ONCALL01!.rules.map((r) => r.via)).toEqual(['slack', 'sms', 'voice']);
  });
});
