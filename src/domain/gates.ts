import type { Gate, Playbook } from '../playbooks/schema.js';

/**
 * GO/NO-GO gates of a change runbook, as pure rules. A gate stands after a step; when the phase before it is
 * done, its checks run, and the results decide what a person may press:
 *
 *   waiting ──(phase done)──► checked ──GO (only when every check passed)──► go ──► next phase
 *                               │  ▲
 *                               │  └──(run the checks again)
 *                               └──NO-GO (always, checked or not)──► no-go: the rollback is offered, the change halts
 *
 * A gate without checks is a person's judgement: GO is offered once the phase is done.
 */
export type CheckVerdict = 'pass' | 'degraded' | 'fail';

export interface GateCheckResult {
  check: string;
  status: CheckVerdict;
}

export type GateState =
  | { state: 'waiting' }
  | { state: 'checked'; at: Date; results: GateCheckResult[] }
  | { state: 'go' | 'no-go'; at: Date; by: string; results: GateCheckResult[] };

/** A gate check names one check or a group: its verdict is its worst member's (a slow pass still passes). */
export function worstVerdict(verdicts: readonly CheckVerdict[]): CheckVerdict {
  if (verdicts.includes('fail') || verdicts.length === 0) return 'fail';
  return verdicts.includes('degraded') ? 'degraded' : 'pass';
}

/** GO is offered only when every check of the gate ran and none failed (a slow pass still passes). */
export function goOffered(gate: Pick<Gate, 'checks'>, results: readonly GateCheckResult[]): boolean {
  const ran = new Set(results.map((r) => r.check));
  return gate.checks.every((c) => ran.has(c)) && results.every((r) => r.status !== 'fail');
}

export type Decision = 'go' | 'no-go';

export type Decided =
  | { ok: true; state: Extract<GateState, { state: 'go' | 'no-go' }>; rollback: string[] }
  | { ok: false; reason: string };

/**
 * A person presses GO or NO-GO: recorded with who, when and the check results they saw. GO is refused until
 * the checks pass; a gate already decided stays decided.
 */
export function decideGate(
  gate: Gate,
  current: GateState,
  decision: Decision,
  by: string,
  at: Date,
  playbookRollback: readonly string[] = [],
): Decided {
  if (current.state === 'go' || current.state === 'no-go')
    return { ok: false, reason: `The gate "${gate.title}" was already decided ${current.state.toUpperCase()}.` };
  // NO-GO needs no check: a person who sees something wrong halts the change at once.
  if (decision === 'go' && current.state === 'waiting' && gate.checks.length > 0)
    return { ok: false, reason: `The gate "${gate.title}" has not run its checks yet.` };
  const results = current.state === 'checked' ? current.results : [];
  if (decision === 'go' && !goOffered(gate, results)) {
    const failed = results.filter((r) => r.status === 'fail').map((r) => r.check);
    const why = failed.length ? `${failed.join(', ')} failed` : 'not every check has run';
    return { ok: false, reason: `GO is not offered at "${gate.title}": ${why}. Run the checks again, or press NO-GO.` };
  }
  const rollback = decision === 'no-go' ? [...(gate.rollback.length ? gate.rollback : playbookRollback)] : [];
  return { ok: true, state: { state: decision, at, by, results }, rollback };
}

export type ChangeProgress =
  /** `gate`: the gate that closes the phase (none: the steps after the last gate). */
  | { kind: 'in-phase'; gate?: number; phase: string | undefined; stepsLeft: number[] }
  | { kind: 'at-gate'; gate: number }
  | { kind: 'halted'; gate: number }
  | { kind: 'completed' };

/**
 * Where a change stands, from its steps done and its gates' states: in a phase (steps before the next
 * undecided gate still to do), at a gate, halted by a NO-GO, or completed once every gate is GO and every
 * step is done.
 */
export function changeProgress(
  playbook: Pick<Playbook, 'steps' | 'gates'>,
  stepsDone: ReadonlySet<number>,
  gates: readonly GateState[],
): ChangeProgress {
  for (const [i, gate] of playbook.gates.entries()) {
    const state = gates[i] ?? { state: 'waiting' };
    if (state.state === 'no-go') return { kind: 'halted', gate: i + 1 };
    if (state.state === 'go') continue;
    const stepsLeft = range(1, gate.after_step).filter((n) => !stepsDone.has(n));
    if (stepsLeft.length) return { kind: 'in-phase', gate: i + 1, phase: gate.phase, stepsLeft };
    return { kind: 'at-gate', gate: i + 1 };
  }
  const rest = range(1, playbook.steps.length).filter((n) => !stepsDone.has(n));
  return rest.length ? { kind: 'in-phase', phase: undefined, stepsLeft: rest } : { kind: 'completed' };
}

/** The gate a person can act on now (run its checks, GO, NO-GO), if the change stands at one. */
export const gateAtHand = (progress: ChangeProgress): number | undefined =>
  progress.kind === 'at-gate' ? progress.gate : undefined;

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
