import type { ThreadPost } from '../../app/ports.js';
import { formatDuration } from '../../domain/duration.js';
import { type SlackMessage, actions, button, context, mention, section, slackDate, userText } from './blocks.js';

type ActionPost = Extract<ThreadPost, { kind: 'action-approval' | 'action-started' | 'action-finished' }>;

const VERDICT = { approved: ':white_check_mark: Approved', denied: ':no_entry: Denied' } as const;

const code = (text: string, max: number) => `\`\`\`${userText(text, max).replace(/```/g, "'''")}\`\`\``;

/** What a rollback or remediation says in the incident's thread as it goes. */
export function actionMessage(post: ActionPost): SlackMessage {
  const dry = post.dryRun ? ' _(dry run: nothing will change)_' : '';
  switch (post.kind) {
    case 'action-approval': {
      const decided = post.decision;
      const header = `:raised_hand: ${mention(post.requester)} asks to run *${userText(post.title, 150)}*${dry}`;
      const plan = code(post.plan, 1_500);
      if (decided) {
        const verdict =
          decided.state === 'expired'
            ? ':hourglass: The request expired; nobody approved it.'
            : `${VERDICT[decided.state]} by ${mention(decided.by ?? 'system')}.`;
        return { text: `${post.title}: ${decided.state}`, blocks: [section(header), section(plan), context(verdict)] };
      }
      const who = post.approvers.length ? post.approvers.map(mention).join(', ') : 'someone allowed to run it';
      const expires = `Expires ${slackDate(post.expiresAt, '{time}')}.`;
      return {
        text: `Approval needed: ${post.title}`,
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
        text: `${post.title} started`,
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
        text: `${post.title}: ${verb}`,
        blocks: [
          section(
            `${icon} *${userText(post.title, 150)}* ${verb} after ${formatDuration(post.durationMs)}.${targetNote(post)}${error}`,
          ),
          ...(post.output ? [section(code(post.output, 2_800))] : []),
        ],
      };
    }
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
