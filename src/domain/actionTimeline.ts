import { z } from 'zod';
import { count, flag, instant, kind, text, user } from './timelineFields.js';

const approval = { action: text, runId: count, requester: user };

/** The kinds of an action (a rollback, a runbook's command): asked for, decided on, run. */
export const ACTION_DATA = {
  'action.requested': kind('someone asks for an action', {
    action: text,
    runId: count,
    plan: text,
    dryRun: z.boolean(),
    approval: z.boolean(),
  }),
  'action.refused': kind('an action request or decision is refused', {
    action: text,
    reason: text,
    runId: count.optional(),
  }),
  'action.approved': kind('someone approves an action', approval),
  'action.denied': kind('someone denies an action', approval),
  'action.expired': kind('an approval request expires', approval),
  'action.started': kind('an action starts running', {
    action: text,
    runId: count,
    summary: text,
    dryRun: z.boolean(),
  }),
  'action.finished': kind('an action finishes', {
    action: text,
    runId: count,
    outcome: text,
    durationMs: count,
    targetMs: count.optional(),
    targetMissed: flag,
    error: text.optional(),
  }),
  'action.interrupted': kind('the bot running an action died, or stopped between its approval and its start', {
    action: text,
    runId: count,
    requester: user,
    lastHeartbeat: instant.optional(),
    host: text.optional(),
    started: flag,
  }),
  'action.cancelled': kind('a request still waiting is cancelled because its incident was resolved', {
    ...approval,
    reason: text,
  }),
} as const;
