import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../../src/process/run.js';

const node = process.execPath;
const options = { timeoutMs: 10_000, maxOutput: 4_000 };
/** A node -e script that idles for a minute. */
const IDLE = 'setTimeout(() => {}, 60000)';

describe('runProcess', () => {
  it('runs an argv array and captures stdout and stderr with the exit code', async () => {
    const result = await runProcess([node, '-e', 'console.log("out"); console.error("err"); process.exit(3)'], options);
    expect(result).toMatchObject({ exitCode: 3, timedOut: false });
    expect(result.output).toContain('out');
    expect(result.output).toContain('err');
  });

  it('passes shell syntax through as plain argument text', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'argv-'));
    const marker = join(dir, 'pwned');
    const hostile = [
      `; touch ${marker}`,
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `a\ntouch ${marker}`,
      '--version',
      '| cat',
    ];
    const result = await runProcess(
      [node, '-e', 'console.log(JSON.stringify(process.argv.slice(1)))', ...hostile],
      options,
    );
    expect(JSON.parse(result.output)).toEqual(hostile);
    await expect(readFile(marker)).rejects.toThrow();
  });

  it('passes only PATH and the allowed environment variables', async () => {
    process.env.ALLOWED_ONE = 'yes';
    process.env.SECRET_ONE = 'no';
    const result = await runProcess([node, '-e', 'console.log(JSON.stringify(Object.keys(process.env).sort()))'], {
      ...options,
      envAllow: ['ALLOWED_ONE'],
    });
    const keys: string[] = JSON.parse(result.output);
    expect(keys).toContain('ALLOWED_ONE');
    expect(keys).not.toContain('SECRET_ONE');
  });

  it('kills a process that runs past its timeout, children included', async () => {
    const result = await runProcess(
      [
        node,
        '-e',
        `require("child_process").spawn(process.execPath, ["-e", ${JSON.stringify(IDLE)}], { stdio: "inherit" }); ${IDLE}`,
      ],
      { ...options, timeoutMs: 300, killGraceMs: 200 },
    );
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
  });

  it('truncates long output and says how much was cut', async () => {
    const result = await runProcess([node, '-e', 'process.stdout.write("x".repeat(10000))'], {
      ...options,
      maxOutput: 1_000,
    });
    expect(result.truncated).toBe(true);
    expect(result.output).toMatch(/^x{1000}\n… 9000 more characters not shown$/);
  });

  it('reports a program that cannot be started', async () => {
    const result = await runProcess(['/nonexistent/program'], options);
    expect(result.spawnError).toMatch(/ENOENT/);
  });
});
