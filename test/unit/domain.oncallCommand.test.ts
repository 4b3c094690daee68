import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/domain/command.js';

const ok = (text: string) => {
  const parsed = parseCommand(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.command;
};
const error = (text: string) => {
  const parsed = parseCommand(text);
  if (parsed.ok) throw new Error(`"${text}" parsed`);
  return parsed.error;
};

describe('the /incident oncall grammar', () => {
  it('reads who-is-on-call questions', () => {
    expect(ok('oncall')).toEqual({ kind: 'oncall' });
    expect(ok('oncall Auth')).toEqual({ kind: 'oncall', schedule: 'auth' });
  });

  it('reads an override for a duration, until a moment, or from one moment until another', () => {
    expect(ok('oncall override auth <@U0SECOND02> 2h')).toEqual({
      kind: 'oncall-override',
      schedule: 'auth',
      user: 'U0SECOND02',
      until: { weeks: 0, days: 0, hours: 2, minutes: 0 },
    });
    expect(ok('oncall override auth @grace until Fri 18:00')).toMatchObject({
      user: '@grace',
      until: { kind: 'weekday', weekday: 5, minute: 18 * 60 },
    });
    expect(ok('oncall override auth <@U0SECOND02|grace> from Mon 09:00 until Mon 18:00')).toMatchObject({
      from: { kind: 'weekday', weekday: 1, minute: 9 * 60 },
      until: { kind: 'weekday', weekday: 1, minute: 18 * 60 },
    });
    expect(ok('oncall override auth @grace from 2026-12-24 for 1d')).toMatchObject({
      from: { kind: 'date', year: 2026, month: 12, day: 24, minute: 0 },
      until: { days: 1 },
    });
  });

  it('reads a removal and a swap', () => {
    expect(ok('oncall override remove 12')).toEqual({ kind: 'oncall-remove', id: 12 });
    expect(ok('oncall override remove #12')).toEqual({ kind: 'oncall-remove', id: 12 });
    expect(ok('oncall swap auth @ada @grace')).toEqual({
      kind: 'oncall-swap',
      schedule: 'auth',
      a: '@ada',
      b: '@grace',
    });
  });

  it('says what is wrong with what it cannot read', () => {
    expect(error('oncall override auth @grace for ages')).toBe(
      'I cannot read `for ages` as a duration; write it like `30m`, `2h`, `1d` or `1w`, or `until Fri 18:00`.',
    );
    expect(error('oncall override auth @grace')).toBe(
      'Say for how long: a duration such as `2h` or `1d`, or `until Fri 18:00`.',
    );
    expect(error('oncall override auth 2h')).toMatch(
      /^Write it as `\/incident oncall override <schedule> @someone 2h`/,
    );
    expect(error('oncall override remove twelve')).toMatch(/^Give the override’s number/);
    expect(error('oncall swap auth @ada @ada')).toMatch(/^A swap needs two different people/);
    expect(error('oncall swap auth @ada')).toMatch(/^Write it as `\/incident oncall swap <schedule> @a @b`/);
    expect(error('INC-4 oncall')).toBe('`/incident oncall` is not about one incident: leave the key out.');
  });
});
