import type { ThreadPost } from '../../app/ports.js';
import { formatDuration } from '../../config/duration.js';
import { type Blocks, LIMITS, type SlackMessage, context, mention, section, slackDate, userText } from './blocks.js';

type CheckPost = Extract<ThreadPost, { kind: 'check-running' | 'check-results' | 'token-refreshed' | 'token-alert' }>;

const ICON = { pass: ':large_green_circle:', degraded: ':large_yellow_circle:', fail: ':red_circle:' } as const;

/** Health check and token posts in the incident's thread: one block per check result. */
export function checkMessage(post: CheckPost): SlackMessage {
  switch (post.kind) {
    case 'check-running':
      return {
        text: `Running ${userText(post.target, 60)}`,
        blocks: [
          context(
            `:hourglass_flowing_sand: ${mention(post.actor)} is running \`${userText(post.target, 60)}\` (${post.count} check${post.count === 1 ? '' : 's'})…`,
          ),
        ],
      };
    case 'check-results': {
      const failed = post.results.filter((r) => r.status === 'fail').length;
      const summary = failed
        ? `:red_circle: ${failed} of ${post.results.length} failed`
        : `:large_green_circle: all ${post.results.length} passed`;
      const blocks: Blocks = [section(`*Health: \`${userText(post.target, 60)}\`* — ${summary}`)];
      const room = LIMITS.messageBlocks - 2;
      for (const r of post.results.slice(0, room)) {
        const details = r.details
          .slice(0, 6)
          .map((d) => `• ${userText(d, 300)}`)
          .join('\n');
        blocks.push(
          section(
            `${ICON[r.status]} *${userText(r.title, 100)}* \`${userText(r.name, 60)}\` — ${r.status} in ${formatDuration(r.latencyMs)}${r.attempts > 1 ? ` after ${r.attempts} attempts` : ''}${r.failure ? `\n${userText(r.failure, 500)}` : ''}${details ? `\n${details}` : ''}`,
          ),
        );
      }
      if (post.results.length > room)
        blocks.push(context(`…and ${post.results.length - room} more results in the timeline.`));
      return { text: `Health ${userText(post.target, 60)}: ${summary}`, blocks };
    }
    case 'token-refreshed':
      return {
        text: `Token ${userText(post.provider, 60)} ${post.ok ? 'refreshed' : 'refresh failed'}`,
        blocks: [
          section(
            post.ok
              ? `:key: ${mention(post.actor)} refreshed the \`${userText(post.provider, 60)}\` token${post.expiresAt ? `; valid until ${slackDate(post.expiresAt, '{time}')}` : ''}.`
              : `:x: ${mention(post.actor)} could not refresh the \`${userText(post.provider, 60)}\` token: ${userText(post.error ?? 'unknown error', 500)}`,
          ),
        ],
      };
    case 'token-alert':
      return tokenAlert(post);
  }
}

const STANDING = {
  valid: 'is valid',
  expiring: 'is close to expiry',
  expired: 'has expired and is no longer handed out',
  missing: 'has never been obtained',
} as const;

/** The proactive refresh could not keep a token fresh (or can again): said where operators look, with what to do. */
function tokenAlert(post: Extract<ThreadPost, { kind: 'token-alert' }>): SlackMessage {
  const name = `*${userText(post.title, 100)}* (\`${userText(post.provider, 60)}\`)`;
  const until = post.expiresAt
    ? ` ${post.status === 'expired' ? 'It expired' : 'It expires'} ${slackDate(post.expiresAt, '{date_short_pretty} {time}')}.`
    : '';
  if (post.state === 'recovered') {
    return {
      text: `Token ${userText(post.provider, 60)} refreshed again`,
      blocks: [section(`:large_green_circle: The ${name} token was refreshed again.${until}`)],
    };
  }
  return {
    text: `Token ${userText(post.provider, 60)} could not be refreshed`,
    blocks: [
      section(
        `:rotating_light: The ${name} token could not be refreshed and ${STANDING[post.status]}.${until}\n${userText(post.error ?? 'unknown error', 500)}`,
      ),
      context(
        `\`/incident token refresh ${userText(post.provider, 60)}\` tries again now; \`/incident auth-401\` opens the authentication playbook.`,
      ),
    ],
  };
}
