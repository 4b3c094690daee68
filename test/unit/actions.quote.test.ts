import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellJoin, shellQuote } from '../../src/actions/index.js';

/** What a real shell makes of a quoted line: the arguments printf receives. */
function parsedByShell(line: string): string[] {
  const out = execFileSync('bash', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('shell quoting for previews', () => {
  it('leaves plain words bare and quotes everything else', () => {
    expect(shellQuote('./scripts/rollback.sh')).toBe('./scripts/rollback.sh');
    expect(shellQuote('INC-7', true)).toBe("'INC-7'");
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('a\nb')).toBe("$'a\\nb'");
    expect(shellJoin(['A=b', 'c=d'])).toBe("'A=b' c=d");
  });

  it('round-trips every argument through a real shell without running anything in it', () => {
    const args = [
      'plain',
      '',
      ' ',
      "'",
      '"',
      '\\',
      '$(touch /tmp/never)',
      '`id`',
      '; rm -rf /',
      'a\nb',
      'tab\there',
      '${HOME}',
      '~',
      '*',
      '!',
      '#x',
      '{a,b}',
      'ünïcødé 🚨',
      '\u001b[31m',
      'mixed \'single\' "double" \\ $x',
    ];
    expect(parsedByShell(shellJoin(args))).toEqual(args);
    expect(
      parsedByShell(
        shellJoin(
          args,
          args.map(() => true),
        ),
      ),
    ).toEqual(args);
  });
});
