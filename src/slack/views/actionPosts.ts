import type { ThreadPost } from '../../app/ports.js';
import { formatDuration } from '../../domain/duration.js';
import {
  type SlackMessage,
  actions,
  button,
  context,
  mention,
  section,
  slackDate,
  userText,
} from '../../blockKit/blocks.js';

type ActionPost = Extract<
  ThreadPost,
  { kind: 'action-approval' | 'action-started' | 'action-finished' | 'action-interrupted' }
>;

const CHILD: Record<Extract<ActionPost, { kind: 'action-interrupted' }>['child'], string> = {
  stopped: 'Its process group was still running and has been stopped.',
  gone: 'Its process had already ended.',
  elsewhere: 'It ran on another host; check that its process has stopped.',
  unknown: 'Whether its process still runs is not known; check the target.',
  'never-started': 'it was approved, but the bot stopped before starting it, so nothing ran.',
};

const VERDICT = { approved: ':white_check_mark: Approved', denied: ':no_entry: Denied' } as const;

const code = (text: string, max: number) => `\`\`\`${userText(text, max).replace(/```/g, "'''")}\`\`\``;

/** What a rollback or remediation says in the incident's thread as it goes. */
export function actionMessage(post: ActionPost): SlackMessage {
  const dry = 'dryRun' in post && post.dryRun ? ' _(dry run: nothing will change)_' : '';
  switch (post.kind) {
    case 'action-approval': {
      const decided = post.decision;
      const header = `:raised_hand: ${mention(post.requester)} asks to run *${userText(post.title, 150)}*${dry}`;
      const plan = code(post.plan, 1_500);
      if (decided) {
        const verdict =
          decided.state === 'expired'
            ? ':hourglass: The request expired; nobody approved it.'
            : decided.state === 'cancelled'
              ? ':heavy_multiplication_x: Cancelled: the incident was resolved before anyone approved it.'
              : `${VERDICT[decided.state]} by ${mention(decided.by ?? 'system')}.`;
        return {
          text: `${userText(post.title, 150)}: ${decided.state}`,
          blocks: [section(header), section(plan), context(verdict)],
        };
      }
      const who = post.approvers.length ? post.approvers.map(mention).join(', ') : 'someone allowed to run it';
      const expires = `Expires ${slackDate(post.expiresAt, '{time}')}.`;
      return {
        text: `Approval needed: ${userText(post.title, 150)}`,
        blocks: [
          section(header),
          section(plan),
          context(`Needs a second person: ${who}. ${expires} The requester cannot approve their own request.`),
          actions(`action.approval.${post.runId}`, [
            button('Approve', `action.approve.${post.runId}`, `${post.incidentId}:${post.runId}`, {
              style: 'primary',
              confirm: {
                title: 'Approve and run it now?',
                text: `Runs ${userText(post.title, 150)} now.`,
                confirm: 'Approve and run',
              },
            }),
            button('Deny', `action.deny.${post.runId}`, `${post.incidentId}:${post.runId}`, { style: 'danger' }),
          ]),
        ],
      };
    }
    case 'action-started':
      return {
        text: `${userText(post.title, 150)} started`,
        blocks: [
          section(`:arrow_forward: ${mention(post.actor)} started *${userText(post.title, 150)}*${dry}`),
          section(code(post.plan, 1_500)),
        ],
      };
    case 'action-finished': {
      const icon = post.outcome === 'succeeded' ? ':white_check_mark:' : post.outcome === 'dry_run' ? ':memo:' : ':x:';
      const verb = post.outcome === 'dry_run' ? 'dry run finished: nothing ran' : post.outcome.replace('_', ' ');
      const error = post.error ? `\n${userText(post.error, 500)}` : '';
      return {
        text: `${userText(post.title, 150)}: ${verb}`,
        blocks: [
          section(
            `${icon} *${userText(post.title, 150)}* ${verb} after ${formatDuration(post.durationMs)}.${targetNote(post)}${error}`,
          ),
          ...(post.output ? [section(code(post.output, 2_800))] : []),
          ...(post.recordingDelayed
            ? [
                context(
                  ':floppy_disk: The database did not answer, so recording this outcome is delayed: ' +
                    'it is kept and written to the run and the timeline as soon as the database is back.',
                ),
              ]
            : []),
        ],
      };
    }
    case 'action-interrupted':
      return {
        text: `${userText(post.title, 150)}: interrupted`,
        blocks: [
          section(
            `:warning: *${userText(post.title, 150)}* (asked for by ${mention(post.requester)}) was interrupted: ` +
              (post.child === 'never-started'
                ? `${CHILD[post.child]} It can be requested again now.`
                : `the bot running it stopped before it finished, so its outcome is unknown. ${CHILD[post.child]} ` +
                  'Check the target before running it again; it can be requested again now.'),
          ),
        ],
      };
  }
}

/** How the run compares with its time-to-rollback target, if it has one (a dry run cannot miss it). */
function targetNote(post: Extract<ActionPost, { kind: 'action-finished' }>): string {
  if (post.targetMs === undefined) return '';
  const target = formatDuration(post.targetMs);
  if (post.outcome === 'dry_run' || post.durationMs <= post.targetMs) return ` Within its ${target} target.`;
  const over = formatDuration(post.durationMs - post.targetMs);
  return ` :warning: *Missed the ${target} time-to-rollback target* by ${over}.`;
}
