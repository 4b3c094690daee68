import { describe, expect, it } from 'vitest';
import { isIncidentKey, normalizeKey, parseCommand, parseUserReference } from '../../src/domain/command.js';
import { MAX_COMMAND_TEXT, MAX_SUMMARY } from '../../src/domain/text.js';

/** What command.test.ts leaves out: the synonyms, the length limits, keys and people. */
describe('the /incident grammar, the rest of it', () => {
  it('takes acknowledge for ack, sev for severity and help for help', () => {
    expect(parseCommand('acknowledge')).toEqual({ ok: true, command: { kind: 'ack' } });
    expect(parseCommand('sev 2 INC-5')).toEqual({
      ok: true,
      command: { kind: 'severity', severity: 'sev2', key: 'INC-5' },
    });
    expect(parseCommand('help')).toEqual({ ok: true, command: { kind: 'help' } });
  });

  it('refuses a command longer than the limit, saying how long it was and where long text goes', () => {
    const text = `note ${'x'.repeat(MAX_COMMAND_TEXT)}`;
    const limit = `\`/incident\` takes at most ${MAX_COMMAND_TEXT}`;
    expect(parseCommand(text)).toEqual({
      ok: false,
      error: `That is ${text.length} characters; ${limit}. Put long details in a note in the incident's thread.`,
    });
  });

  it('refuses an opening summary longer than the limit', () => {
    const summary = 'y'.repeat(MAX_SUMMARY + 1);
    const hint = 'add details with `/incident note` once the incident is open.';
    expect(parseCommand(`auth-401 ${summary}`)).toEqual({
      ok: false,
      error: `That summary is ${summary.length} characters; keep it under ${MAX_SUMMARY} and ${hint}`,
    });
    expect(parseCommand(`auth-401 ${'y'.repeat(MAX_SUMMARY)}`).ok).toBe(true);
  });

  it('asks for the new commander when none is named', () => {
    expect(parseCommand('commander')).toEqual({
      ok: false,
      error: 'Name the new commander: `/incident commander @ada`.',
    });
    expect(parseCommand('commander @Ada')).toEqual({ ok: true, command: { kind: 'commander', user: '@ada' } });
  });
});

describe('incident keys', () => {
  it('recognises INC-n in any case and writes it without leading zeros', () => {
    expect(['INC-1', 'inc-42', 'Inc-007'].every(isIncidentKey)).toBe(true);
    expect(['INC-', 'INC42', 'INC-x', undefined].some(isIncidentKey)).toBe(false);
    expect(normalizeKey('inc-007')).toBe('INC-7');
  });
});

describe('naming a person', () => {
  it('reads a mention, a bare user id or a @handle', () => {
    expect(parseUserReference('<@U0SECOND02|grace>')).toBe('U0SECOND02');
    expect(parseUserReference('<@W0ENTERPRISE>')).toBe('W0ENTERPRISE');
    expect(parseUserReference('U0SECOND02')).toBe('U0SECOND02');
    expect(parseUserReference('@Grace.Hopper')).toBe('@grace.hopper');
  });

  it('refuses anything else', () => {
    for (const word of [undefined, '', 'grace', '<#C123>', '<!channel>', '@'])
      expect(parseUserReference(word)).toBeUndefined();
  });
});
