import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checks/index.js';
import { checkSchema } from '../../src/config/checks.js';
import { envFields } from '../../src/config/fields.js';

const node = process.execPath;
const schema = checkSchema(envFields({}));
const script = (code: string, input: Record<string, unknown> = {}) =>
  schema.parse({ kind: 'command', retries: 0, argv: [node, '-e', code], ...input });

describe('command checks', () => {
  it('pass on the expected exit code and put the output in the details', async () => {
    const result = await runCheck(
      'script',
      script('console.log("all services healthy")', { title: 'health_check.py' }),
    );
    expect(result).toMatchObject({ title: 'health_check.py', kind: 'command', status: 'pass', attempts: 1 });
    expect(result.details[0]).toMatch(/^✓ exit code 0 in \d+ ms$/);
    expect(result.details.at(-1)).toBe('output:\nall services healthy');
  });

  it('fail on another exit code', async () => {
    const result = await runCheck('script', script('console.error("token request failed"); process.exit(2)'));
    expect(result).toMatchObject({ status: 'fail', failure: 'exit code 2, expected 0' });
    expect(result.details.at(-1)).toBe('output:\ntoken request failed');
  });

  it('accept a non-zero exit code when that is what healthy means', async () => {
    expect((await runCheck('script', script('process.exit(3)', { expect: { exit_code: 3 } }))).status).toBe('pass');
  });

  it('check what the output must and must not contain', async () => {
    const expect_ = { output_contains: 'healthy', output_excludes: 'Traceback' };
    expect((await runCheck('s', script('console.log("healthy")', { expect: expect_ }))).status).toBe('pass');
    const traceback = await runCheck(
      's',
      script('console.log("healthy"); console.log("Traceback (most recent call last):")', { expect: expect_ }),
    );
    expect(traceback.failure).toBe('the output contains "Traceback"');
    const silent = await runCheck('s', script('process.exit(0)', { expect: expect_ }));
    expect(silent.failure).toBe('the output does not contain "healthy"');
    expect(silent.details.at(-1)).toBe('output: (none)');
  });

  it('stop a command that runs past the timeout, well before it would end', async () => {
    const started = performance.now();
    const result = await runCheck('s', script('setTimeout(() => {}, 30000)', { timeout: '300ms' }));
    expect(result).toMatchObject({ status: 'fail', failure: 'still running after 300 ms; stopped' });
    expect(performance.now() - started).toBeLessThan(2_000); // the script would run 30 s; the margin is for a busy machine
  });

  it('keep only max_output characters of a noisy command', async () => {
    const result = await runCheck('s', script('process.stdout.write("x".repeat(5000))', { max_output: 300 }));
    expect(result.details.at(-1)).toBe(`output:\n${'x'.repeat(300)}\n… 4700 more characters not shown`);
  });

  it('fail a program that cannot start, without retrying', async () => {
    const result = await runCheck(
      's',
      schema.parse({ kind: 'command', retries: 2, argv: ['/nonexistent/health_check'] }),
      { sleep: async () => undefined },
    );
    expect(result).toMatchObject({
      status: 'fail',
      attempts: 1,
      failure: 'ENOENT: cannot run /nonexistent/health_check',
    });
  });

  it('pass only the allowed environment variables', async () => {
    process.env.IB_CHECK_ALLOWED = 'yes';
    process.env.IB_CHECK_HIDDEN = 'no';
    const code =
      'process.exit(process.env.IB_CHECK_ALLOWED === "yes" && process.env.IB_CHECK_HIDDEN === undefined ? 0 : 1)';
    expect((await runCheck('s', script(code, { env_allow: ['IB_CHECK_ALLOWED'] }))).status).toBe('pass');
  });

  it('scrub credentials a command prints', async () => {
    const result = await runCheck(
      's',
      script('console.log("Authorization: Bearer abc.def.ghi"); console.log("postgres://app:pa55word@db:5432/app")'),
    );
    const output = result.details.at(-1)!;
    expect(output).not.toContain('abc.def.ghi');
    expect(output).not.toContain('pa55word');
  });
});
