import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { Actor, AppDeps } from '../app/deps.js';
import { incidentFor } from '../app/access.js';
import { findIncident } from '../app/context.js';
import { acknowledge, mitigate, resolve } from '../app/lifecycle.js';
import { showTimeline } from '../app/queries.js';
import { type ActionForm, actionForm } from '../app/actionForm.js';
import { decideAction, requestAction } from '../app/actions.js';
import { decideAtGate, runGateChecks } from '../app/gates.js';
import { postReport } from '../app/report.js';
import type { Reply } from '../app/replies.js';
import { moveStep, requestStepRun } from '../app/steps.js';
import { escalateManually } from '../app/updates.js';
import { cleanText } from '../domain/text.js';
import { isBotError } from '../errors.js';
import { botErrorSentence } from './views/refusals.js';
import { answer, answerError } from './answer.js';
import type { InFlight } from './inflight.js';
import { type ButtonClick, buttonClick, buttonValue, clickKey } from './payloads.js';
import { actionFormModal } from './views/actionForm.js';
import { resolveModal } from './views/modals.js';

type ClickArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
export type ClickHandler = (
  deps: AppDeps,
  click: { incidentId: number; detail: string; actionId: string; body: ButtonClick },
  actor: Actor,
  args: ClickArgs,
) => Promise<Reply>;

/**
 * A button listener: ack, drop a click already handled (a retry, the same
 * click on another replica), then call one use case and answer its reply.
 */
export function clickListener(deps: AppDeps, inflight: InFlight, handle: ClickHandler) {
  return async (args: ClickArgs): Promise<void> => {
    const started = performance.now();
    const receivedAt = deps.clock.now();
    await args.ack();
    deps.metrics.ackSeconds.observe({ type: 'click' }, (performance.now() - started) / 1000);
    // Everything after the ack is tracked, so shutdown (and a test) can wait for it.
    inflight.run(async () => {
      const click = buttonClick.safeParse(args.body);
      const value = click.success ? buttonValue.safeParse(click.data.actions[0]!.value) : undefined;
      if (!click.success || !value?.success) {
        deps.metrics.slackRequests.inc({ type: 'click', outcome: 'malformed' });
        await answer(args.respond, {
          kind: 'text',
          text: 'That button is from an older version of this message; use the latest one.',
        });
        return;
      }
      const requestKey = clickKey(click.data);
      if ((await deps.coord.claimOnce(requestKey, 3_600_000)) === 'seen') {
        deps.metrics.slackRequests.inc({ type: 'click', outcome: 'duplicate' });
        return;
      }
      deps.metrics.slackRequests.inc({ type: 'click', outcome: 'accepted' });
      const actor: Actor = { user: click.data.user.id, requestKey, receivedAt };
      const actionId = click.data.actions[0]!.action_id;
      try {
        await answer(args.respond, await handle(deps, { ...value.data, actionId, body: click.data }, actor, args));
      } catch (error) {
        await answerError(args.respond, error, deps.log, { user: actor.user, action: actionId });
      }
    });
  };
}

const stepNumber = (detail: string) => Number(detail);

export const onStepButton: ClickHandler = async (deps, click, actor, args) => {
  const [, verb] = click.actionId.split('.');
  const target = { incidentId: click.incidentId };
  if (verb === 'run') {
    const form = await actionForm(deps, target, { step: stepNumber(click.detail) }, actor);
    if (form) return openForm(args, click, form);
    return requestStepRun(deps, target, stepNumber(click.detail), actor);
  }
  return moveStep(deps, target, stepNumber(click.detail), verb === 'skip' ? 'skip' : 'done', actor);
};

export const onIncidentButton: ClickHandler = async (deps, click, actor, args) => {
  const target = { incidentId: click.incidentId };
  switch (click.actionId) {
    case 'incident.ack':
      return acknowledge(deps, target, actor);
    case 'incident.escalate':
      return escalateManually(deps, target, undefined, actor);
    case 'incident.mitigate':
      return mitigate(deps, target, '', actor);
    case 'incident.timeline':
      return showTimeline(deps, target, 0, actor);
    case 'incident.report':
      return postReport(deps, target, actor);
    case 'incident.resolve': {
      const incident = await incidentFor(deps, target, { intent: 'change', what: 'resolve', actor });
      if (incident.status === 'resolved') return { kind: 'text', text: `${incident.key} is already resolved.` };
      await args.client.views.open({ trigger_id: click.body.trigger_id!, view: resolveModal(incident) });
      return { kind: 'none' };
    }
    default:
      return { kind: 'text', text: 'This button does nothing yet.' };
  }
};

/** A rollback or action button: `action.request.<name>` (value `<incident>:<name>`); one with inputs opens its form. */
export const onActionRequest: ClickHandler = async (deps, click, actor, args) => {
  const target = { incidentId: click.incidentId };
  const form = await actionForm(deps, target, { action: click.detail }, actor);
  if (form) return openForm(args, click, form);
  return requestAction(deps, target, click.detail, actor);
};

async function openForm(args: ClickArgs, click: { body: ButtonClick }, form: ActionForm): Promise<Reply> {
  await args.client.views.open({ trigger_id: click.body.trigger_id!, view: actionFormModal(form) });
  return { kind: 'none' };
}

/** A change's gate buttons: `gate.check|go|nogo.<n>` (value `<change>:<n>`). */
export const onGateButton: ClickHandler = (deps, click, actor) => {
  const [, verb] = click.actionId.split('.');
  const target = { incidentId: click.incidentId, gate: Number(click.detail) };
  if (verb === 'check') return runGateChecks(deps, target, actor);
  return decideAtGate(deps, target, verb === 'go' ? 'go' : 'no-go', actor);
};

/** Approve / Deny on an approval request: `action.approve.<run>` (value `<incident>:<run>`). */
export const onActionDecision: ClickHandler = (deps, click, actor) =>
  decideAction(deps, Number(click.detail), click.actionId.startsWith('action.approve.') ? 'approve' : 'deny', actor);

export const onTimelinePage: ClickHandler = (deps, click, actor) =>
  showTimeline(deps, { incidentId: click.incidentId }, Number(click.detail) || 0, actor);

const resolveSubmission = z.object({
  user: z.object({ id: z.string() }),
  view: z.object({
    id: z.string(),
    private_metadata: z.string().regex(/^\d+$/),
    state: z.object({
      values: z.object({ summary: z.object({ text: z.object({ value: z.string().nullish() }) }).optional() }),
    }),
  }),
});

/** The Resolve modal's Submit: resolve with its summary; the answer is a DM-free ephemeral in the channel. */
export function resolveSubmitListener(deps: AppDeps, inflight: InFlight) {
  return async ({ ack, body, client }: SlackViewMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const parsed = resolveSubmission.safeParse(body);
    if (!parsed.success) {
      await ack({
        response_action: 'errors',
        errors: { summary: 'This form is out of date; close it and press Resolve again.' },
      });
      return;
    }
    await ack();
    const { user, view } = parsed.data;
    const summary = cleanText(view.state.values.summary?.text.value ?? '');
    const actor: Actor = { user: user.id, requestKey: `view:${view.id}` };
    const target = { incidentId: Number(view.private_metadata) };
    inflight.run(async () => {
      const said = async (text: string) => {
        const incident = await findIncident(deps.db, target);
        if (incident.channelId)
          await client.chat.postEphemeral({ channel: incident.channelId, user: user.id, text }).catch(() => {});
      };
      try {
        const reply = await resolve(deps, target, summary, actor);
        if (reply.kind === 'text') await said(reply.text);
      } catch (error) {
        // A refusal (or any other sentence) reaches the person who submitted; the rest is the log's.
        if (isBotError(error)) await said(botErrorSentence(error)).catch(() => {});
        else deps.log.warn({ err: error }, 'resolve from the modal failed');
      }
    });
  };
}
