import { formatDuration } from '../domain/duration.js';
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Actor, AppDeps } from '../app/deps.js';
import { acknowledge, mitigate, resolve } from '../app/lifecycle.js';
import { unknownPlaybook } from '../app/openIncident.js';
import { openAsPerson } from '../app/access.js';
import { listIncidents, showTimeline } from '../app/queries.js';
import { postReport } from '../app/report.js';
import { runHealth } from '../app/health.js';
import { pageTest } from '../app/pageTest.js';
import { refreshToken, tokenStatus } from '../app/tokens.js';
import { listRollbacks, requestAction } from '../app/actions.js';
import type { Reply } from '../app/replies.js';
import { moveStep } from '../app/steps.js';
import { abortChange, changeStatus, startChange } from '../app/changeRuns.js';
import { showOnCall } from '../app/oncall.js';
import { overrideOnCall, removeOnCallOverride, swapOnCall } from '../app/oncallOverrides.js';
import { addNote, escalateManually, setCommander, setSeverity } from '../app/updates.js';
import { type Command, parseCommand } from '../domain/command.js';
import { escapeMrkdwn } from '../domain/text.js';
import { answer, answerError, sentenceFor } from './answer.js';
import type { InFlight } from './inflight.js';
import { commandPayload } from './payloads.js';
import { replyMessage } from './views/replies.js';
import { refusalSentence } from './views/refusals.js';
import { presentProps } from '../domain/defined.js';

type Route = (deps: AppDeps, where: { channelId: string; key?: string }, actor: Actor) => Promise<Reply>;

/** Which use case each command calls. Commands a later engine answers are added to `extra`. */
export function routeOf(command: Command, extra: CommandRoutes = {}): Route | undefined {
  const where = (w: { channelId: string; key?: string }) => ({
    channelId: w.channelId,
    ...('key' in command && command.key ? { key: command.key } : {}),
  });
  switch (command.kind) {
    case 'list':
      return (deps) => listIncidents(deps);
    case 'ack':
      return (deps, w, actor) => acknowledge(deps, where(w), actor);
    case 'mitigate':
      return (deps, w, actor) => mitigate(deps, where(w), command.summary, actor);
    case 'resolve':
      return (deps, w, actor) => resolve(deps, where(w), command.summary, actor);
    case 'severity':
      return (deps, w, actor) => setSeverity(deps, where(w), command.severity, actor);
    case 'escalate':
      return (deps, w, actor) => escalateManually(deps, where(w), command.level, actor);
    case 'note':
      return (deps, w, actor) => addNote(deps, where(w), command.text, actor);
    case 'step':
      return (deps, w, actor) => moveStep(deps, where(w), command.step, command.to, actor);
    case 'commander':
      return (deps, w, actor) => setCommander(deps, where(w), command.user, actor);
    case 'timeline':
      return (deps, w, actor) => showTimeline(deps, where(w), 0, actor);
    case 'report':
      return (deps, w, actor) => postReport(deps, where(w), actor);
    case 'health':
      return (deps, w, actor) => runHealth(deps, where(w), command.target, actor);
    case 'token-status':
      return (deps) => tokenStatus(deps);
    case 'page-test':
      return (deps, _w, actor) => pageTest(deps, command.user ?? actor.user, actor);
    case 'token-refresh':
      return (deps, w, actor) => refreshToken(deps, where(w), command.provider, actor);
    case 'oncall':
      return (deps, _w, actor) => showOnCall(deps, command.schedule, actor);
    case 'oncall-override':
      return (deps, _w, actor) => overrideOnCall(deps, command, actor);
    case 'oncall-swap':
      return (deps, _w, actor) => swapOnCall(deps, command, actor);
    case 'oncall-remove':
      return (deps, _w, actor) => removeOnCallOverride(deps, command.id, actor);
    case 'change-start':
      return (deps, w, actor) =>
        startChange(deps, { runbook: command.runbook, summary: command.summary, channelId: w.channelId }, actor);
    case 'change-status':
      return (deps) => changeStatus(deps);
    case 'change-abort':
      return (deps, w, actor) =>
        abortChange(
          deps,
          { ...presentProps({ change: command.change }), reason: command.reason, channelId: w.channelId },
          actor,
        );
    case 'rollback':
      return (deps, w, actor) =>
        command.action ? requestAction(deps, where(w), command.action, actor) : listRollbacks(deps, where(w), actor);
    default: {
      const route = extra[command.kind];
      return route ? (deps, w, actor) => route(deps, command, where(w), actor) : undefined;
    }
  }
}

export type CommandRoutes = Partial<
  Record<
    Command['kind'],
    (deps: AppDeps, command: Command, where: { channelId: string; key?: string }, actor: Actor) => Promise<Reply>
  >
>;

function unplacedSentence(kind: 'opened' | 'unplaced', key: string, inPlace: boolean, waitMs?: number): string {
  const home = inPlace ? 'its message is being posted here' : 'its channel is being created';
  // A 429 is Slack pacing the bot, not failing: say how long, and that nothing is wrong.
  if (kind === 'opened' && waitMs !== undefined)
    return (
      `*${key}* is open; ${inPlace ? 'its message here' : 'its channel'} is delayed: Slack asked the bot to wait ` +
      `${formatDuration(Math.max(1_000, waitMs))}. Responders are paged as soon as it is visible.`
    );
  return kind === 'opened'
    ? `*${key}* is open; ${home} (Slack is not answering yet). ` +
        'Responders are paged as soon as it is visible; if Slack keeps failing you get a direct message.'
    : `*${key}* is already open for this playbook and ${home}, so no second incident was opened. ` +
        'Responders are paged as soon as it is visible.';
}

/**
 * The `/incident` listener: parse, ack, call one use case. Everything that
 * needs no I/O is answered in the ack itself; the rest is acked at once and
 * answered with `respond` when done.
 */
export function commandListener(deps: AppDeps, inflight: InFlight, extra: CommandRoutes = {}) {
  return async ({
    command: body,
    ack,
    respond,
    context,
  }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const started = performance.now();
    const acked = (outcome: string) => {
      deps.metrics.ackSeconds.observe({ type: 'command' }, (performance.now() - started) / 1000);
      deps.metrics.slackRequests.inc({ type: 'command', outcome });
    };
    const payload = commandPayload.safeParse(body);
    if (!payload.success) {
      await ack({ response_type: 'ephemeral', text: 'Slack sent a command this bot could not read; try again.' });
      return acked('malformed');
    }
    const { text, user_id: user, channel_id: channelId, trigger_id: triggerId } = payload.data;
    const parsed = parseCommand(text);
    const ephemeral = (reply: Reply) => ({
      response_type: 'ephemeral' as const,
      ...replyMessage(reply as Exclude<Reply, { kind: 'none' }>),
    });
    if (!parsed.ok) {
      await ack(ephemeral({ kind: 'text', text: parsed.error }));
      return acked('rejected');
    }
    const cmd = parsed.command;
    if (cmd.kind === 'help' || cmd.kind === 'playbooks') {
      await ack(ephemeral(cmd.kind === 'help' ? { kind: 'help' } : { kind: 'playbooks', playbooks: deps.catalog.all }));
      return acked('answered');
    }
    if (cmd.kind === 'open' && !deps.catalog.find(cmd.playbook)) {
      await ack(
        ephemeral({ kind: 'text', text: sentenceFor(unknownPlaybook(deps, cmd.playbook), deps.log, { user }) }),
      );
      return acked('rejected');
    }
    const route = cmd.kind === 'open' ? undefined : routeOf(cmd, extra);
    if (cmd.kind !== 'open' && !route) {
      await ack(
        ephemeral({
          kind: 'text',
          text: `\`/incident ${cmd.kind.replace('-', ' ')}\` is not available in this bot yet.`,
        }),
      );
      return acked('rejected');
    }
    // Ack first; whether Slack already sent this request is settled after, off the ack's path.
    await ack(
      cmd.kind === 'open'
        ? ephemeral({ kind: 'text', text: `Opening an incident from \`${deps.catalog.find(cmd.playbook)!.id}\`…` })
        : undefined,
    );
    acked(context.retryNum ? 'retry' : 'accepted');
    const requestKey = `cmd:${triggerId}`;
    const actor: Actor = { user, requestKey, receivedAt: deps.clock.now() };
    inflight.run(async () => {
      // A retry of a command already acted on: Slack has our first answer (PostgreSQL's request key backs this).
      if ((await deps.coord.claimOnce(requestKey, 3_600_000)) === 'seen') return;
      try {
        if (cmd.kind === 'open') {
          const opened = await openAsPerson(
            deps,
            { playbook: cmd.playbook, summary: cmd.summary, channelId, joinUnplaced: true },
            actor,
          );
          if (opened.kind === 'refused') {
            await answer(respond, { kind: 'text', text: refusalSentence(opened.refusal) });
            return;
          }
          if (opened.kind === 'opened' && opened.where && opened.where.channelId !== channelId) {
            const title = escapeMrkdwn(opened.incident.title);
            await respond({
              response_type: 'in_channel',
              replace_original: false,
              text: `<@${user}> opened *${opened.incident.key}* · ${title}: follow it in <#${opened.where.channelId}>.`,
            });
          } else if (opened.kind !== 'duplicate' && !(opened.kind === 'opened' && opened.where)) {
            // Slack did not answer yet: the key now, the channel when the place work gets through (work/place.ts).
            const inPlace = opened.incident.channelId !== null;
            const waitMs =
              opened.kind === 'opened' && opened.rateLimitedUntil
                ? opened.rateLimitedUntil.getTime() - deps.clock.now().getTime()
                : undefined;
            await answer(respond, {
              kind: 'text',
              text: unplacedSentence(opened.kind, opened.incident.key, inPlace, waitMs),
            });
          }
          return;
        }
        await answer(respond, await route!(deps, { channelId }, actor));
      } catch (error) {
        await answerError(respond, error, deps.log, { user, command: cmd.kind });
      }
    });
  };
}
