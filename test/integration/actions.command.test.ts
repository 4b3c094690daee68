import { mkdtemp, readFile, readdir, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACTION_PLACEHOLDERS, PERSON_PLACEHOLDERS, type ActionConfig, actionSchema } from '../../src/config/actions.js';
import { envFields } from '../../src/config/fields.js';
import { ActionInputError, type Placeholders, runAction } from '../../src/actions/index.js';

const node = process.execPath;
// Node reads options up to the first plain argument, so the tests end its options with `--`.
const PRINT_ARGV = 'console.log(JSON.stringify(process.argv.slice(1)))';
const WRITE_FILE = "require('fs').writeFileSync(process.argv[1], process.argv[2])";
const command = (argv: string[], extra: Record<string, unknown> = {}): ActionConfig =>
  actionSchema(envFields({})).parse({ kind: 'command', title: 'Run', allowed: {}, argv, ...extra });
const run = (config: ActionConfig, placeholders: Placeholders = {}, dryRun = false) =>
  runAction(config, placeholders, { dryRun });
/** The placeholders the bot fills (a person's typed text has its own, stricter rule, tested below). */
const SYSTEM_PLACEHOLDERS = ACTION_PLACEHOLDERS.filter((name) => !PERSON_PLACEHOLDERS.includes(name));
const everyPlaceholder = (value: string): Placeholders =>
  Object.fromEntries(SYSTEM_PLACEHOLDERS.map((name) => [name, value]));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'actions-'));
});

describe('runAction for a command', () => {
  it('runs the argv and the file holds exactly the value', async () => {
    const file = join(dir, 'out.txt');
    const result = await run(command([node, '-e', WRITE_FILE, file, '{incident.key}']), { 'incident.key': 'INC-7' });
    expect(result).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
    expect(result.summary).toBe(`${node} -e ${`'${WRITE_FILE.replaceAll("'", `'\\''`)}'`} ${file} 'INC-7'`);
    expect(await readFile(file, 'utf8')).toBe('INC-7');
  });

  it('runs nothing on a dry run and returns the summary', async () => {
    const file = join(dir, 'out.txt');
    const result = await run(
      command([node, '-e', WRITE_FILE, file, '{incident.key}']),
      { 'incident.key': 'INC-7' },
      true,
    );
    expect(result).toEqual({
      outcome: 'dry_run',
      summary: expect.stringContaining("'INC-7'"),
      output: '',
      durationMs: 0,
    });
    expect(await readdir(dir)).toEqual([]);
    expect(await run(command([node, '-e', WRITE_FILE, file, 'x'], { dry_run: true }))).toMatchObject({
      outcome: 'dry_run',
    });
    expect(await readdir(dir)).toEqual([]);
  });

  // Everything a user could type, through every placeholder at once, in every position of an element.
  const literal = [
    '; rm -rf /',
    '$(touch MARKER)',
    '`touch MARKER`',
    '&& touch MARKER',
    '| touch MARKER',
    '> MARKER',
    "'; touch MARKER; echo '",
    '"quoted" \'single\'',
    'a b  c',
    '${HOME}',
    '*',
    '~',
    '\\',
    'ünïcødé 🚨 日本語',
    'INC-7 --force',
  ];
  it.each(literal)(
    'passes %j as literal text in the same single argument, through every placeholder',
    async (typed) => {
      const marker = join(dir, 'MARKER');
      const value = typed.replaceAll('MARKER', marker);
      const argv = [
        node,
        '-e',
        PRINT_ARGV,
        '--',
        ...SYSTEM_PLACEHOLDERS.map((n) => `{${n}}`),
        'pre-{requester}-post',
        '--flag={approver}',
      ];
      const result = await run(command(argv, { cwd: dir }), everyPlaceholder(value));
      expect(result.outcome).toBe('succeeded');
      expect(JSON.parse(result.output)).toEqual([
        ...SYSTEM_PLACEHOLDERS.map(() => value),
        `pre-${value}-post`,
        `--flag=${value}`,
      ]);
      expect(await readdir(dir)).toEqual([]);
    },
  );

  const refused = [
    '--output=/etc/passwd',
    '-rf',
    '-',
    'INC-7\ntouch MARKER',
    'INC-7\r\n',
    'INC\0-7',
    '\u001b]0;title\u0007',
    'a\u2028b',
  ];
  it.each(refused)('refuses %j before anything runs, through every placeholder', async (typed) => {
    const marker = join(dir, 'MARKER');
    const value = typed.replaceAll('MARKER', marker);
    for (const name of ACTION_PLACEHOLDERS) {
      const file = join(dir, 'out.txt');
      await expect(run(command([node, '-e', WRITE_FILE, file, `{${name}}`]), { [name]: value })).rejects.toBeInstanceOf(
        ActionInputError,
      );
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a person-typed summary in argv unless the action sets allow_person_text, and then only plain characters', async () => {
    const argv = [node, '-e', PRINT_ARGV, '--', '{incident.summary}', 'reason={incident.summary}'];
    await expect(run(command(argv), { 'incident.summary': 'redis is down' })).rejects.toThrow(/allow_person_text/);
    const allowed = command(argv, { allow_person_text: true });
    const plain = await run(allowed, { 'incident.summary': 'redis-7 down since 10:42 see https://status/x_y.z' });
    expect(JSON.parse(plain.output)).toEqual([
      'redis-7 down since 10:42 see https://status/x_y.z',
      'reason=redis-7 down since 10:42 see https://status/x_y.z',
    ]);
    for (const typed of [
      '; rm -rf /',
      '$(touch MARKER)',
      '`id`',
      "it's",
      'a"b',
      'ünïcødé',
      '${HOME}',
      'a|b',
      'a&b',
      '*',
    ])
      await expect(run(allowed, { 'incident.summary': typed })).rejects.toThrow(/only letters, digits, spaces/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('passes a leading dash as literal text when it is inside an element', async () => {
    const result = await run(command([node, '-e', PRINT_ARGV, '--', '--by={requester}', 'x{requester}']), {
      requester: '--output=/etc/passwd',
    });
    expect(JSON.parse(result.output)).toEqual(['--by=--output=/etc/passwd', 'x--output=/etc/passwd']);
  });

  it('kills a command that runs past its timeout', async () => {
    const result = await run(
      command([node, '-e', 'setInterval(() => {}, 1000); console.log("started")'], { timeout: '300ms' }),
    );
    expect(result).toMatchObject({
      outcome: 'timed_out',
      exitCode: null,
      error: 'The command did not finish within 300 ms and was stopped.',
    });
  });

  it('stops a command when the signal aborts', async () => {
    const controller = new AbortController();
    const pending = runAction(
      command([node, '-e', 'setInterval(() => {}, 1000)']),
      {},
      { dryRun: false, signal: controller.signal },
    );
    controller.abort();
    expect(await pending).toMatchObject({
      outcome: 'failed',
      exitCode: null,
      error: 'The run was cancelled and the command was stopped.',
    });
  });

  it('fails with the exit code and keeps the output, truncated to max_output', async () => {
    const result = await run(
      command([node, '-e', 'process.stdout.write("x".repeat(5000)); process.exit(3)'], { max_output: 1000 }),
    );
    expect(result).toMatchObject({ outcome: 'failed', exitCode: 3, error: 'The command exited with code 3.' });
    expect(result.output).toBe(`${'x'.repeat(1000)}\n… 4000 more characters not shown`);
  });

  it('runs in cwd and passes only the allowed environment, scrubbing credentials it prints', async () => {
    process.env.ACTION_TEST_API_TOKEN = 'tkn-7d3e9f0a1b2c';
    process.env.ACTION_TEST_HIDDEN = 'hidden';
    const script =
      'console.log(process.cwd(), process.env.ACTION_TEST_HIDDEN, process.env.ACTION_TEST_API_TOKEN, "Authorization: Bearer abc.def")';
    const result = await run(command([node, '-e', script], { cwd: dir, env_allow: ['ACTION_TEST_API_TOKEN'] }));
    expect(result.output.trim()).toBe(`${await realpath(dir)} undefined [redacted] Authorization: Bearer [redacted]`);
  });

  it('fails with a sentence when the program or the directory does not exist', async () => {
    expect(await run(command(['./no-such-program'], { cwd: dir }))).toMatchObject({
      outcome: 'failed',
      exitCode: null,
      error: './no-such-program could not be started (ENOENT).',
    });
    expect(await run(command([node, '-v'], { cwd: join(dir, 'missing') }))).toMatchObject({
      outcome: 'failed',
      error: `The working directory ${join(dir, 'missing')} does not exist.`,
    });
  });
});
