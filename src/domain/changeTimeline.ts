import { z } from 'zod';
import { SEVERITIES } from './severity.js';

/**
 * The `change.*` kinds of the timeline (a change: a deployment walked through GO/NO-GO gates), kept beside
 * timeline.ts so that file stays readable. Same contract: add fields, optional when older rows lack them.
 */
export const CHANGE_KINDS = [
  'change.started',
  'change.gate_checked',
  'change.gate_go',
  'change.gate_no_go',
  'change.completed',
  'change.aborted',
  'change.watch_started',
  'change.watch_failed',
  'change.watch_tripped',
  'change.watch_passed',
  'incident.from_change',
] as const;

const text = z.string();
const count = z.number();
const results = z
  .array(z.strictObject({ check: text, status: z.enum(['pass', 'degraded', 'fail']) }))
  .describe('each check of the gate and its verdict');
const gate = { gate: count, name: text, title: text, results };

export const CHANGE_DATA = {
  'change.started': {
    when: 'someone starts a change from a change runbook (`/incident change`, `incidentbot change`)',
    shape: { key: text, playbook: text, title: text, summary: text, severity: z.enum(SEVERITIES) },
  },
  'change.gate_checked': { when: "a gate's checks ran", shape: gate },
  'change.gate_go': { when: 'someone pressed GO at a gate (the results they saw)', shape: gate },
  'change.gate_no_go': {
    when: 'someone pressed NO-GO at a gate; `rollback`: the actions offered',
    shape: { ...gate, rollback: z.array(text) },
  },
  'change.completed': { when: 'every gate is GO and every step done', shape: {} },
  'change.aborted': { when: 'someone aborted the change', shape: { reason: text } },
  'change.watch_started': {
    when: "the last gate is GO and the runbook declares a post-deploy watch: its windows' checks start running",
    shape: {
      windows: z.array(z.strictObject({ window: count, checks: z.array(text), everyMs: count, endsAt: text })),
    },
  },
  'change.watch_failed': {
    when: "a watch window's run failed; `failuresInARow` counts toward the watch's limit",
    shape: {
      window: count,
      failuresInARow: count,
      failures: z.array(z.strictObject({ check: text, failure: text })),
    },
  },
  'change.watch_tripped': {
    when: 'a watch window failed its limit of runs in a row: the incident it opened (`incident`, a key)',
    shape: { window: count, failuresInARow: count, incident: text, playbook: text },
  },
  'change.watch_passed': { when: 'every watch window ran to its end without tripping', shape: { runs: count } },
  'incident.from_change': {
    when: "in the incident's timeline: a change's watch opened it (`change`, a key); the change's rollback comes first",
    shape: { change: text, window: count, checks: z.array(text) },
  },
} as const;
