import { runProcess } from '../process/run.js';
import { formatDuration } from '../domain/duration.js';
import { formatMs } from './compare.js';
import { joinFailures } from './expectations.js';
import type { Runner } from './types.js';

/** Runs the argv (never a shell) and judges its exit code and output; the output goes into the details. */
export const runCommand: Runner<'command'> = async (config, attempt) => {
  const result = await runProcess(config.argv, {
    cwd: config.cwd,
    envAllow: config.env_allow,
    timeoutMs: config.timeout,
    maxOutput: config.max_output,
    signal: attempt.signal,
  });
  const { details } = attempt;
  if (result.spawnError) return { failure: result.spawnError, retryable: false };
  const { expect } = config;
  const failures: string[] = [];
  const check = (ok: boolean, passed: string, failed: string) => {
    if (!ok) failures.push(failed);
    details.push(ok ? `✓ ${passed}` : `✗ ${failed}`);
  };
  if (result.timedOut) {
    check(false, '', `still running after ${formatDuration(config.timeout)}; stopped`);
  } else if (result.exitCode === null) {
    check(false, '', `killed by ${result.signal ?? 'a signal'}, expected exit code ${expect.exit_code}`);
  } else {
    check(
      result.exitCode === expect.exit_code,
      `exit code ${result.exitCode} in ${formatMs(result.durationMs)}`,
      `exit code ${result.exitCode}, expected ${expect.exit_code}`,
    );
  }
  if (expect.output_contains !== undefined) {
    const wanted = JSON.stringify(expect.output_contains);
    check(
      result.output.includes(expect.output_contains),
      `output contains ${wanted}`,
      `the output does not contain ${wanted}`,
    );
  }
  if (expect.output_excludes !== undefined) {
    const unwanted = JSON.stringify(expect.output_excludes);
    check(
      !result.output.includes(expect.output_excludes),
      `output does not contain ${unwanted}`,
      `the output contains ${unwanted}`,
    );
  }
  // Already cut to max_output by runProcess, with a note saying how much was dropped.
  const output = result.output.trimEnd();
  details.push(output ? `output:\n${output}` : 'output: (none)');
  return failures.length === 0 ? {} : { failure: joinFailures(failures) };
};
