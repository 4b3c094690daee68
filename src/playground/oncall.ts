import type { ServerResponse } from 'node:http';
import { type KnownSchedule, knownSchedules, onCallAt } from '../app/oncall.js';
import type { AppDeps } from '../app/deps.js';
import { type Route, sendJson } from '../http/server.js';
import { type PlaygroundRoutesOptions, advanceAndDrain } from './server.js';
import { definedProps, presentProps } from '../domain/defined.js';
import type { HandoffStep, OnCallNow } from './oncallShape.js';

/**
 * The playground's on-call routes: who is on call now (the people switcher shows it) and a clock control that
 * reaches the next handoff. Both ask the bot's own on-call use case at the bot's clock; the page computes nothing.
 */

export interface OnCallRoutesOptions extends Pick<PlaygroundRoutesOptions, 'clock' | 'saveOffset' | 'tick'> {
  /** The bot's use-case dependencies, once it has started. */
  deps(): AppDeps | undefined;
}

/**
 * How far past a step the clock lands: inside the worker's one-minute lateness tolerance, so the DM reads as on
 * time, as it would in a real workspace.
 */
const PAST_STEP_MS = 30_000;

async function nextStep(deps: AppDeps, known: KnownSchedule, now: Date): Promise<HandoffStep> {
  const current = await onCallAt(deps, known, now);
  const next = await onCallAt(deps, known, current.end);
  const noticeAt = new Date(current.end.getTime() - known.config.handoff_notice);
  // The notice first, while it is still ahead; then the handoff itself (the post and the user group).
  const phase = next.user && noticeAt.getTime() > now.getTime() ? 'notice' : 'start';
  return { schedule: known.id, phase, at: (phase === 'notice' ? noticeAt : current.end).toISOString(), to: next.user };
}

async function onCallNow(deps: AppDeps): Promise<OnCallNow> {
  const now = deps.clock.now();
  const schedules = await Promise.all(
    knownSchedules(deps).map(async (known) => {
      const shift = await onCallAt(deps, known, now);
      return {
        id: known.id,
        user: shift.user,
        until: shift.end.toISOString(),
        ...presentProps({ usergroup: known.config.usergroup }),
      };
    }),
  );
  const steps = await Promise.all(knownSchedules(deps).map((known) => nextStep(deps, known, now)));
  const next = steps.sort((a, b) => a.at.localeCompare(b.at))[0];
  return { now: now.toISOString(), schedules, ...definedProps({ next }) };
}

const starting = (res: ServerResponse) => sendJson(res, 503, { error: 'the bot is still starting' });

export function onCallRoutes(o: OnCallRoutesOptions): Route[] {
  return [
    {
      method: 'GET',
      path: '/playground/oncall',
      handler: async (_req, res) => {
        const deps = o.deps();
        if (!deps) return starting(res);
        sendJson(res, 200, await onCallNow(deps));
      },
    },
    {
      // Moves the clock just past the next handoff's notice (the DM), or, once that is sent, past the handoff.
      method: 'POST',
      path: '/playground/clock/next-handoff',
      handler: async (_req, res) => {
        const deps = o.deps();
        if (!deps) return starting(res);
        const { next } = await onCallNow(deps);
        if (!next) return sendJson(res, 409, { error: 'this bot has no on-call schedules' });
        const ms = Math.max(0, new Date(next.at).getTime() - deps.clock.now().getTime()) + PAST_STEP_MS;
        sendJson(res, 200, { ...(await advanceAndDrain(o, ms)), step: next });
      },
    },
  ];
}
