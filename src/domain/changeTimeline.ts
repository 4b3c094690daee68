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
} as const;
