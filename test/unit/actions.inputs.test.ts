import { describe, expect, it } from 'vitest';
import { actionProblems } from '../../src/actions/index.js';
import { actionSchema } from '../../src/config/actions.js';
import { envFields } from '../../src/config/fields.js';
import { parseInputs } from '../../src/domain/actionInputs.js';

const schema = actionSchema(envFields({}));
const action = (input: Record<string, unknown>) =>
  schema.parse({ kind: 'command', title: 'Revert', allowed: { users: ['U0ONCALL01'] }, ...input });
const commit = { label: 'Commit', pattern: '^[0-9a-f]{7,40}$' };
const service = { label: 'Service', enum: ['backend', 'redis'] };

describe('action inputs', () => {
  const inputs = {
    commit: schema.parse({ kind: 'command', title: 't', allowed: {}, argv: ['x'], inputs: { commit } }).inputs.commit!,
  };

  it('takes a commit of 7 to 40 hex digits', () => {
    expect(parseInputs(inputs, { commit: '0a1b2c3' })).toEqual({ ok: true, values: { commit: '0a1b2c3' } });
    expect(parseInputs(inputs, { commit: 'a'.repeat(40) })).toMatchObject({ ok: true });
  });

  it('refuses anything else with a sentence naming the rule', () => {
    for (const bad of ['0a1b2c', 'a'.repeat(41), 'HEAD', '0a1b2c3; rm -rf /', '0A1B2C3'])
      expect(parseInputs(inputs, { commit: bad })).toEqual({
        ok: false,
        errors: { commit: 'Commit must match ^[0-9a-f]{7,40}$.' },
      });
    expect(parseInputs(inputs, {})).toEqual({ ok: false, errors: { commit: 'Commit is required.' } });
    expect(parseInputs(inputs, { commit: 42 })).toEqual({ ok: false, errors: { commit: 'Commit is required.' } });
  });

  it('takes only the values of an enum', () => {
    const { inputs: enumInputs } = action({
      argv: ['docker-compose', 'restart', '{input.service}'],
      inputs: { service },
    });
    expect(parseInputs(enumInputs, { service: 'redis' })).toEqual({ ok: true, values: { service: 'redis' } });
    expect(parseInputs(enumInputs, { service: 'postgres' })).toEqual({
      ok: false,
      errors: { service: 'Service must be one of backend, redis.' },
    });
  });

  it('never takes a value that reads as an option or holds a line break, whatever the pattern', () => {
    const loose = action({ argv: ['git', '{input.ref}'], inputs: { ref: { label: 'Ref', pattern: '^.+$' } } }).inputs;
    expect(parseInputs(loose, { ref: '--exec=sh' })).toMatchObject({ ok: false });
    expect(parseInputs(loose, { ref: 'main\nrm' })).toMatchObject({ ok: false });
  });

  it('refuses a pattern that is not anchored, and an input with both or neither of pattern and enum', () => {
    expect(() => action({ argv: ['x'], inputs: { c: { label: 'C', pattern: '[0-9a-f]+' } } })).toThrow(/anchor/);
    expect(() => action({ argv: ['x'], inputs: { c: { label: 'C' } } })).toThrow(/exactly one/);
  });

  it('lint: inputs go into a command argv only, each used, none undeclared', () => {
    expect(actionProblems(action({ argv: ['git', 'revert', '{input.commit}'], inputs: { commit } }))).toEqual([]);
    expect(actionProblems(action({ argv: ['git', 'revert', '{input.sha}'], inputs: { commit } }))).toEqual([
      expect.stringMatching(/\{input\.sha\}, which is not a placeholder/),
      expect.stringMatching(/"commit" is asked for but never used/),
    ]);
    const http = schema.parse({
      kind: 'http',
      title: 'Deploy',
      allowed: {},
      url: 'http://127.0.0.1:8090/deploy',
      body: '{"commit": "{input.commit}"}',
      inputs: { commit },
    });
    expect(actionProblems(http)).toContainEqual(expect.stringMatching(/inputs go in a command's argv only/));
  });
});
