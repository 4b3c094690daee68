import { z } from 'zod';
import { count, flag, instant, kind, text } from './timelineFields.js';

const stepMove = { step: count, title: text.optional() };
const token = {
  provider: text,
  attempts: count,
  by: text,
  expiresAt: instant.optional(),
  error: text.optional(),
  step: count.optional(),
};

/** A playbook step's kinds, and what its runners write: checks and token refreshes. */
export const STEP_DATA = {
  'step.done': kind('a step is done, by hand or by its runner', stepMove),
  'step.skipped': kind('someone skips a step', stepMove),
  'step.failed': kind("a step's check, token refresh or action fails", { ...stepMove, reason: text.optional() }),
  'step.started': kind("a step's runner starts", {
    ...stepMove,
    check: text.optional(),
    token: text.optional(),
  }),
  'step.requested': kind("a step's button is pressed but its runner is not configured", {
    step: count,
    title: text,
    runner: text,
    name: text,
    configured: z.boolean(),
  }),
  'check.result': kind('a health check finishes (one event per check)', {
    check: text,
    target: text,
    status: text,
    latencyMs: count,
    attempts: count,
    failure: text.optional(),
    step: count.optional(),
    scheduled: flag,
  }),
  'token.refreshed': kind('a token is refreshed', token),
  'token.refresh_failed': kind('a token refresh fails', token),
} as const;
