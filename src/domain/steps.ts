import type { PlaybookStep } from '../playbooks/schema.js';

export const STEP_STATES = ['pending', 'running', 'done', 'skipped', 'failed'] as const;
export type StepState = (typeof STEP_STATES)[number];

export interface StepStatus {
  step: number;
  state: StepState;
  actor: string | null;
  changedAt: Date | null;
  detail: string | null;
}

/**
 * Step transitions. Done is final; a skipped step may still be done later; a
 * failed step may be retried, done by hand or skipped.
 */
const NEXT: Record<StepState, readonly StepState[]> = {
  pending: ['running', 'done', 'skipped', 'failed'],
  running: ['done', 'failed'],
  failed: ['running', 'done', 'skipped'],
  skipped: ['done'],
  done: [],
};

export function canMoveStep(from: StepState, to: StepState): boolean {
  return NEXT[from].includes(to);
}

export function stepStatesBefore(to: StepState): StepState[] {
  return STEP_STATES.filter((from) => canMoveStep(from, to));
}

/** What the step's own button does, if anything beyond Done and Skip. */
export type StepRunner =
  | { kind: 'check'; name: string }
  | { kind: 'token'; name: string }
  | { kind: 'action'; name: string }
  | { kind: 'manual' };

export function runnerOf(step: PlaybookStep): StepRunner {
  if (step.check) return { kind: 'check', name: step.check };
  if (step.token) return { kind: 'token', name: step.token };
  if (step.action) return { kind: 'action', name: step.action };
  return { kind: 'manual' };
}

/** Every step's status, pending where nothing was recorded. */
export function stepBoard(stepCount: number, recorded: readonly StepStatus[]): StepStatus[] {
  const byStep = new Map(recorded.map((s) => [s.step, s]));
  return Array.from(
    { length: stepCount },
    (_, i) => byStep.get(i + 1) ?? { step: i + 1, state: 'pending', actor: null, changedAt: null, detail: null },
  );
}

export function progress(board: readonly StepStatus[]): { finished: number; total: number } {
  return { finished: board.filter((s) => s.state === 'done' || s.state === 'skipped').length, total: board.length };
}
