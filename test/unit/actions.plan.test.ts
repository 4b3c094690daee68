import { describe, expect, it } from 'vitest';
import { ACTION_PLACEHOLDERS, type ActionConfig, actionSchema } from '../../src/config/actions.js';
import { envFields } from '../../src/config/fields.js';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import {
  ActionInputError,
  actionProblems,
  placeholderNames,
  planAction,
  unknownPlaceholders,
} from '../../src/actions/index.js';

const TOKEN = 'tok-3f9a1c7e5b2d';
const env = { DEPLOY_API_TOKEN: TOKEN, DB_PASSWORD: 'pw-9c1d2e3f4a5b' };
const action = (raw: Record<string, unknown>, e: Record<string, string> = env): ActionConfig =>
  actionSchema(envFields(e, { lenient: true })).parse({ title: 'Roll back', allowed: {}, ...raw });
const command = (argv: string[], extra: Record<string, unknown> = {}) => action({ kind: 'command', argv, ...extra });
const http = (extra: Record<string, unknown>) =>
  action({ kind: 'http', url: 'http://127.0.0.1:8090/deployments/rollback', ...extra });
const values = { 'incident.key': 'INC-7', requester: 'U0ONCALL01', approver: 'U0SECOND02' } as const;

function refusal(fn: () => unknown): ActionInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ActionInputError);
    return error as ActionInputError;
  }
  throw new Error('expected an ActionInputError');
}

describe('planAction for a command', () => {
  it('fills placeholders inside their argv element and shows the argv shell-quoted', () => {
    const plan = planAction(
      command(['./scripts/rollback.sh', 'database', '{incident.key}', '--approved-by', '{approver}'], { cwd: '.' }),
      values,
    );
    expect(plan).toEqual({
      kind: 'command',
      argv: ['./scripts/rollback.sh', 'database', 'INC-7', '--approved-by', 'U0SECOND02'],
      cwd: '.',
      summary: "./scripts/rollback.sh database 'INC-7' --approved-by 'U0SECOND02'",
    });
  });

  it('keeps a value with shell syntax in one element, quoted so a pasted summary gives back the same argument', () => {
    const plan = planAction(command(['run', 'reason={incident.key}']), { 'incident.key': "it's $(rm -rf /); `x` | y" });
    expect(plan.argv).toEqual(['run', "reason=it's $(rm -rf /); `x` | y"]);
    expect(plan.summary).toBe(`run 'reason=it'\\''s $(rm -rf /); \`x\` | y'`);
  });

  it('refuses a value that would turn an element into an option, but not one inside an element', () => {
    const config = command(['tool', '{requester}', '--by={requester}', 'x{requester}']);
    expect(refusal(() => planAction(config, { requester: '--output=/etc/passwd' })).message).toMatch(
      /\{requester\} starts with "-", so argument 1 would be read as an option/,
    );
    expect(planAction(command(['tool', '--by={requester}', 'x{requester}']), { requester: '-rf' }).argv).toEqual([
      'tool',
      '--by=-rf',
      'x-rf',
    ]);
  });

  it.each([
    ['a newline', 'INC-7\ntouch /tmp/x'],
    ['a carriage return', 'INC-7\r'],
    ['NUL', 'INC-7\0'],
    ['an escape sequence', '\u001b[31mINC-7'],
    ['a line separator', 'INC\u20287'],
    ['DEL', 'INC-7\u007f'],
  ])('refuses a value with %s', (_, value) => {
    const error = refusal(() => planAction(command(['tool', 'key={incident.key}']), { 'incident.key': value }));
    expect(error.message).toBe(
      'The value of {incident.key} contains a line break or a control character, which an action never gets.',
    );
    expect(error.code).toBe('bad_request');
  });

  it('refuses a missing value, unless a preview asks to keep the placeholder', () => {
    const config = command(['./scripts/rollback.sh', '{incident.key}', '--approved-by', '{approver}']);
    expect(refusal(() => planAction(config, { 'incident.key': 'INC-7' })).message).toBe(
      'The action needs {approver}, and this run has no value for it.',
    );
    expect(refusal(() => planAction(config, { 'incident.key': 'INC-7', approver: '' })).message).toMatch(
      /needs \{approver\}/,
    );
    expect(planAction(config, { 'incident.key': 'INC-7' }, { allowMissing: true }).summary).toBe(
      "./scripts/rollback.sh 'INC-7' --approved-by '{approver}'",
    );
  });

  it('refuses a placeholder in the program and an unknown placeholder as config errors', () => {
    expect(
      refusal(() => planAction(command(['./scripts/{incident.playbook}.sh']), { 'incident.playbook': 'x' })).code,
    ).toBe('config_invalid');
    const unknown = command(['tool', '{incident.owner}', '{requester}']);
    expect(refusal(() => planAction(unknown, values)).code).toBe('config_invalid');
    expect(unknownPlaceholders(unknown)).toEqual(['incident.owner']);
    expect(placeholderNames(unknown)).toEqual(['incident.owner', 'requester']);
    expect(actionProblems(unknown)).toEqual([
      expect.stringMatching(
        /^The action uses \{incident.owner\}, which is not a placeholder; use one of \{incident.key\}/,
      ),
    ]);
  });
});

describe('planAction for an HTTP request', () => {
  it('shows the method and URL, never a header value or a credential in the URL', () => {
    const config = http({
      url: `http://deploy:${env.DB_PASSWORD}@127.0.0.1:8090/deployments/{incident.key}?api_key=${TOKEN}&reason={requester}`,
      headers: { Authorization: 'Bearer ${DEPLOY_API_TOKEN}' },
    });
    const plan = planAction(config, values);
    expect(plan.summary).toBe(
      'POST http://[redacted]@127.0.0.1:8090/deployments/INC-7?api_key=[redacted]&reason=U0ONCALL01',
    );
    expect(JSON.stringify(plan)).not.toMatch(new RegExp(`${TOKEN}|${env.DB_PASSWORD}`));
  });

  it('URL-encodes values, so they stay in their path segment or query value', () => {
    const plan = planAction(http({ url: 'http://127.0.0.1:8090/incidents/{incident.key}/rollback?by={requester}' }), {
      'incident.key': '../../admin?x=1#y',
      requester: 'a&b=c d',
    });
    expect(plan.url).toBe('http://127.0.0.1:8090/incidents/..%2F..%2Fadmin%3Fx%3D1%23y/rollback?by=a%26b%3Dc%20d');
    expect(
      refusal(() =>
        planAction(http({ url: 'http://127.0.0.1:8090/incidents/{incident.key}' }), { 'incident.key': '..' }),
      ).code,
    ).toBe('bad_request');
  });

  it('allows placeholders in the path and query only', () => {
    expect(actionProblems(http({ url: 'http://{incident.channel}.example.test/rollback' }))).toEqual([
      "{incident.channel} is in the URL's scheme, host or port; placeholders may only be used in its path or query.",
    ]);
    expect(actionProblems(http({ url: 'http://127.0.0.1:{incident.id}/rollback' }))).toHaveLength(1);
    expect(actionProblems(http({ url: 'http://127.0.0.1/rollback#{incident.key}' }))).toHaveLength(1);
    expect(actionProblems(http({ url: 'http://127.0.0.1/r/{incident.key}?k={requester}' }))).toEqual([]);
  });

  it('lints a person-typed summary in argv unless the action sets allow_person_text', () => {
    expect(actionProblems(command(['./rollback.sh', '{incident.summary}']))).toEqual([
      expect.stringMatching(/\{incident\.summary\}, which a person types.*allow_person_text: true/),
    ]);
    expect(actionProblems(command(['./rollback.sh', '{incident.summary}'], { allow_person_text: true }))).toEqual([]);
    expect(actionProblems(http({ body: '{"reason": "{incident.summary}"}' }))).toEqual([]);
  });

  it('escapes a person-typed summary for the content type of an HTTP body', () => {
    const typed = 'db "down" & <b>; rm -rf / ü';
    const json = planAction(http({ body: '{"reason": "{incident.summary}"}' }), { 'incident.summary': typed });
    expect(JSON.parse(json.body!)).toEqual({ reason: typed });
    const form = planAction(
      http({ body: 'reason={incident.summary}', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
      { 'incident.summary': typed },
    );
    expect(new URLSearchParams(form.body).get('reason')).toBe(typed);
  });

  it('escapes values as JSON string content in a JSON body', () => {
    const body = '{"service": "webhook", "reason": "incident {incident.key}", "requested_by": "{requester}"}';
    const hostile = 'U1", "admin": true, "x": "\\';
    const plan = planAction(http({ body }), { 'incident.key': 'INC-7 "quoted" ü', requester: hostile });
    expect(JSON.parse(plan.body!)).toEqual({
      service: 'webhook',
      reason: 'incident INC-7 "quoted" ü',
      requested_by: hostile,
    });
  });

  it('refuses a JSON body with a placeholder outside a string, and a body on GET', () => {
    expect(actionProblems(http({ body: '{"id": {incident.id}}' }))).toEqual([
      expect.stringMatching(/put each placeholder inside a JSON string/),
    ]);
    expect(refusal(() => planAction(http({ body: '{"id": {incident.id}}' }), { 'incident.id': '1' })).code).toBe(
      'config_invalid',
    );
    expect(actionProblems(http({ method: 'GET', body: 'x' }))).toEqual(['A GET request cannot have a body.']);
  });

  it('URL-encodes values in a form body and leaves a text body as typed', () => {
    const form = http({
      body: 'incident={incident.key}&by={requester}',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(planAction(form, { 'incident.key': 'INC 7&admin=1', requester: 'U1' }).body).toBe(
      'incident=INC%207%26admin%3D1&by=U1',
    );
    expect(planAction(http({ body: 'rollback {incident.key}' }), { 'incident.key': 'INC-7 $(x)' }).body).toBe(
      'rollback INC-7 $(x)',
    );
  });
});

describe('the example config', () => {
  it('has actions whose placeholders are all valid and whose plans show no secret', async () => {
    const { config } = await loadConfigFile(exampleConfigPath, env, { isExample: true });
    const all = {
      'incident.key': 'INC-7',
      'incident.id': '7',
      'incident.severity': 'sev1',
      'incident.playbook': 'redis',
      'incident.channel': 'C0INC7',
      'incident.summary': 'login failing',
      requester: 'U0ONCALL01',
      approver: 'U0SECOND02',
    };
    expect(Object.keys(all)).toEqual([...ACTION_PLACEHOLDERS]);
    const filled = { ...all, 'input.commit': '0a1b2c3d', 'input.service': 'backend' };
    expect(Object.keys(config.actions).length).toBeGreaterThanOrEqual(6);
    for (const [name, actionConfig] of Object.entries(config.actions)) {
      expect(actionProblems(actionConfig), name).toEqual([]);
      expect(JSON.stringify(planAction(actionConfig, filled))).not.toContain(TOKEN);
    }
    const argv = (name: string) => planAction(config.actions[name]!, filled).argv;
    expect(argv('redis-rollback')).toEqual(['git', 'revert', '--no-edit', '0a1b2c3d']);
    expect(argv('cache-disable')).toEqual(['sed', '-i', 's/^CACHE_ENABLED=.*/CACHE_ENABLED=false/', '.env']);
    expect(argv('service-restart')).toEqual(['docker-compose', 'restart', 'backend']);
    expect(argv('cache-migration-rollback')).toEqual([
      'python',
      '-m',
      'src.db.migrations.performance_optimization',
      'rollback',
    ]);
    expect(config.actions['cache-migration-rollback']!.only_if).toMatchObject({
      value: 'production',
      equals: 'development',
    });
    expect(planAction(config.actions['webhook-rollback']!, all).summary).toBe(
      'POST http://127.0.0.1:8090/deployments/rollback',
    );
  });
});
