import { describe, expect, it } from 'vitest';
import { parseCommand, parseUserReference } from '../../src/domain/command.js';

const command = (text: string) => {
  const parsed = parseCommand(text);
  if (!parsed.ok) throw new Error(`expected "${text}" to parse: ${parsed.error}`);
  return parsed.command;
};
const error = (text: string) => {
  const parsed = parseCommand(text);
  if (parsed.ok) throw new Error(`expected "${text}" to be refused, got ${JSON.stringify(parsed.command)}`);
  return parsed.error;
};

describe('the /incident grammar', () => {
  it('opens an incident from a playbook id with the rest as its summary', () => {
    expect(command('auth-401 login failing for everyone')).toEqual({
      kind: 'open',
      playbook: 'auth-401',
      summary: 'login failing for everyone',
    });
    expect(command('AUTH-403')).toEqual({ kind: 'open', playbook: 'auth-403', summary: '' });
  });

  it('answers empty text with help', () => {
    expect(command('')).toEqual({ kind: 'help' });
    expect(command('   \n\t ')).toEqual({ kind: 'help' });
  });

  it('reads the incident key before or after the subcommand', () => {
    expect(command('ack INC-42')).toEqual({ kind: 'ack', key: 'INC-42' });
    expect(command('inc-42 ack')).toEqual({ kind: 'ack', key: 'INC-42' });
    expect(command('INC-007 note checked the logs')).toEqual({ kind: 'note', text: 'checked the logs', key: 'INC-7' });
    expect(command('escalate 3 INC-42')).toEqual({ kind: 'escalate', level: 3, key: 'INC-42' });
    expect(command('step 2 done inc-9')).toEqual({ kind: 'step', step: 2, to: 'done', key: 'INC-9' });
    expect(command('note see INC-3 for context')).toEqual({ kind: 'note', text: 'see INC-3 for context' });
  });

  it('parses every subcommand of the grammar', () => {
    expect(command('list')).toEqual({ kind: 'list' });
    expect(command('playbooks')).toEqual({ kind: 'playbooks' });
    expect(command('health core')).toEqual({ kind: 'health', target: 'core' });
    expect(command('health')).toEqual({ kind: 'health' });
    expect(command('token status')).toEqual({ kind: 'token-status' });
    expect(command('token refresh salesforce')).toEqual({ kind: 'token-refresh', provider: 'salesforce' });
    expect(command('escalate')).toEqual({ kind: 'escalate' });
    expect(command('escalate 3')).toEqual({ kind: 'escalate', level: 3 });
    expect(command('escalate level 2')).toEqual({ kind: 'escalate', level: 2 });
    expect(command('severity SEV1')).toEqual({ kind: 'severity', severity: 'sev1' });
    expect(command('severity 3')).toEqual({ kind: 'severity', severity: 'sev3' });
    expect(command('step 2 done')).toEqual({ kind: 'step', step: 2, to: 'done' });
    expect(command('step 4 skip')).toEqual({ kind: 'step', step: 4, to: 'skip' });
    expect(command('resolve rolled back the deploy')).toEqual({ kind: 'resolve', summary: 'rolled back the deploy' });
    expect(command('mitigate')).toEqual({ kind: 'mitigate', summary: '' });
    expect(command('timeline')).toEqual({ kind: 'timeline' });
    expect(command('report')).toEqual({ kind: 'report' });
    expect(command('rollback')).toEqual({ kind: 'rollback' });
    expect(command('rollback redis-rollback')).toEqual({ kind: 'rollback', action: 'redis-rollback' });
    expect(command('commander <@U0SECOND02|grace>')).toEqual({ kind: 'commander', user: 'U0SECOND02' });
  });

  it('keeps the line breaks of a note but strips control characters', () => {
    expect(command('note first line\nsecond\u0007 line')).toEqual({ kind: 'note', text: 'first line\nsecond line' });
  });

  it('refuses malformed subcommands with a sentence that shows the right form', () => {
    expect(error('severity critical')).toContain('`/incident severity sev2`');
    expect(error('step two done')).toContain('/incident step <n> done');
    expect(error('step 2 finish')).toContain('/incident step <n> done');
    expect(error('escalate up')).toContain('`/incident escalate 2`');
    expect(error('note')).toContain('Write the note');
    expect(error('token refresh')).toContain('Name the token provider');
    expect(error('INC-4')).toContain('needs a subcommand');
    expect(error('INC-4 frobnicate')).toContain('`frobnicate` is not something');
  });

  it('refuses oversized text, summaries and notes', () => {
    expect(error('x'.repeat(4_001))).toContain('at most 4000');
    expect(error(`auth-401 ${'a'.repeat(600)}`)).toContain('keep it under 500');
    expect(error(`note ${'n'.repeat(2_600)}`)).toContain('at most 2500');
  });

  it('never lets a mention through in what it echoes', () => {
    expect(error('INC-4 <!channel>')).toContain('&lt;!channel&gt;');
    expect(error('INC-4 <@U123>')).not.toContain('<@U123>');
  });

  it('passes emoji and other scripts through unchanged', () => {
    expect(command('auth-401 🔥 ログインできない — ошибка')).toEqual({
      kind: 'open',
      playbook: 'auth-401',
      summary: '🔥 ログインできない — ошибка',
    });
  });
});

describe('user references', () => {
  it('reads mentions, ids and handles', () => {
    expect(parseUserReference('<@U0ONCALL01>')).toBe('U0ONCALL01');
    expect(parseUserReference('W0123ABC')).toBe('W0123ABC');
    expect(parseUserReference('@Grace')).toBe('@grace');
    expect(parseUserReference('<!channel>')).toBeUndefined();
  });
});
