import { describe, expect, it } from 'vitest';
import {
  STEP_STATES,
  canMoveStep,
  progress,
  runnerOf,
  stepBoard,
  stepStatesBefore,
  type StepState,
  type StepStatus,
} from '../../src/domain/steps.js';

const ALLOWED: Record<StepState, StepState[]> = {
  pending: ['running', 'done', 'skipped', 'failed'],
  running: ['done', 'failed'],
  failed: ['running', 'done', 'skipped'],
  skipped: ['done'],
  done: [],
};

const pairs = STEP_STATES.flatMap((from) => STEP_STATES.map((to) => [from, to] as const));

const status = (step: number, state: StepState): StepStatus => ({
  step,
  state,
  actor: 'U1',
  changedAt: new Date('2026-11-23T03:00:00Z'),
  detail: null,
});

describe('step transitions', () => {
  it.each(pairs)('%s → %s is allowed exactly when the table says so', (from, to) => {
    expect(canMoveStep(from, to)).toBe(ALLOWED[from].includes(to));
  });

  it('keeps done final and lets a skipped step still be done', () => {
    expect(STEP_STATES.filter((to) => canMoveStep('done', to))).toEqual([]);
    expect(STEP_STATES.filter((to) => canMoveStep('skipped', to))).toEqual(['done']);
  });

  it('lets a failed step be retried, done by hand or skipped', () => {
    expect(['running', 'done', 'skipped'].every((to) => canMoveStep('failed', to as StepState))).toBe(true);
  });

  it.each(STEP_STATES)('guards entering %s with exactly the states that may precede it', (to) => {
    expect(stepStatesBefore(to)).toEqual(STEP_STATES.filter((from) => ALLOWED[from].includes(to)));
  });
});

describe('a step runner', () => {
  it('is the check, token or action the step names, else manual', () => {
    expect(runnerOf({ title: 'a', check: 'app-health' })).toEqual({ kind: 'check', name: 'app-health' });
    expect(runnerOf({ title: 'a', token: 'okta' })).toEqual({ kind: 'token', name: 'okta' });
    expect(runnerOf({ title: 'a', action: 'rollback' })).toEqual({ kind: 'action', name: 'rollback' });
    expect(runnerOf({ title: 'a', manual: true })).toEqual({ kind: 'manual' });
    expect(runnerOf({ title: 'a' })).toEqual({ kind: 'manual' });
  });
});

describe('the step board', () => {
  it('lists every step in order, pending where nothing was recorded', () => {
    const board = stepBoard(3, [status(2, 'done')]);
    expect(board.map((s) => [s.step, s.state])).toEqual([
      [1, 'pending'],
      [2, 'done'],
      [3, 'pending'],
    ]);
    expect(board[0]).toEqual({ step: 1, state: 'pending', actor: null, changedAt: null, detail: null });
  });

  it('ignores a recorded step the playbook no longer has', () => {
    expect(stepBoard(2, [status(5, 'done')]).map((s) => s.step)).toEqual([1, 2]);
  });

  it('counts done and skipped steps as finished, running and failed ones as not', () => {
    const board = stepBoard(5, [status(1, 'done'), status(2, 'skipped'), status(3, 'running'), status(4, 'failed')]);
    expect(progress(board)).toEqual({ finished: 2, total: 5 });
    expect(progress([])).toEqual({ finished: 0, total: 0 });
  });
});
