import type { ThreadPost } from '../../app/ports.js';
import { formatDuration } from '../../domain/duration.js';
import { type Blocks, LIMITS, type SlackMessage, context, mention, section, slackDate, userText } from './blocks.js';

type CheckPost = Extract<ThreadPost, { kind: 'check-running' | 'check-results' | 'token-refreshed' | 'token-alert' }>;

const ICON = { pass: ':large_green_circle:', degraded: ':large_yellow_circle:', fail: ':red_circle:' } as const;

/** Health check and token posts in the incident's thread: one block per check result. */
export function checkMessage(post: CheckPost): SlackMessage {
  switch (post.kind) {
    case 'check-running': {
      const checks = `${post.count} check${post.count === 1 ? '' : 's'}`;
      const running = `${mention(post.actor)} is running \`${userText(post.target, 60)}\` (${checks})…`;
      return { text: `Running ${post.target}`, blocks: [context(`:hourglass_flowing_sand: ${running}`)] };
    }
    case 'check-results': {
      const failed = post.results.filter((r) => r.status === 'fail').length;
      const summary = failed
        ? `:red_circle: ${failed} of ${post.results.length} failed`
        : `:large_green_circle: all ${post.results.length} passed`;
      const blocks: Blocks = [section(`*Health: \`${userText(post.target, 60)}\`* — ${summary}`)];
      const room = LIMITS.messageBlocks - 2;
      for (const r of post.results.slice(0, room)) blocks.push(section(resultText(r)));
      if (post.results.length > room)
        blocks.push(context(`…and ${post.results.length - room} more results in the timeline.`));
      return { text: `Health ${post.target}: ${summary}`, blocks };
    }
    case 'token-refreshed':
      return {
        text: `Token ${post.provider} ${post.ok ? 'refreshed' : 'refresh failed'}`,
        blocks: [section(refreshText(post))],
      };
    case 'token-alert':
      return tokenAlert(post);
  }
}

type CheckResultView = Extract<CheckPost, { kind: 'check-results' }>['results'][number];

/** One check's result: status and time, retries, why it failed and what it saw. */
function resultText(r: CheckResultView): string {
  const details = r.details
    .slice(0, 6)
    .map((d) => `• ${userText(d, 300)}`)
    .join('\n');
  const retried = r.attempts > 1 ? ` after ${r.attempts} attempts` : '';
  const failure = r.failure ? `\n${userText(r.failure, 500)}` : '';
  const head = `${ICON[r.status]} *${userText(r.title, 100)}* \`${userText(r.name, 60)}\``;
  return `${head} — ${r.status} in ${formatDuration(r.latencyMs)}${retried}${failure}${details ? `\n${details}` : ''}`;
}

function refreshText(post: Extract<CheckPost, { kind: 'token-refreshed' }>): string {
  const token = `the \`${userText(post.provider, 60)}\` token`;
  if (!post.ok)
    return `:x: ${mention(post.actor)} could not refresh ${token}: ${userText(post.error ?? 'unknown error', 500)}`;
  const until = post.expiresAt ? `; valid until ${slackDate(post.expiresAt, '{time}')}` : '';
  return `:key: ${mention(post.actor)} refreshed ${token}${until}.`;
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
      text: `Token ${post.provider} refreshed again`,
      blocks: [section(`:large_green_circle: The ${name} token was refreshed again.${until}`)],
    };
  }
  const error = userText(post.error ?? 'unknown error', 500);
  const retry = `\`/incident token refresh ${userText(post.provider, 60)}\` tries again now`;
  return {
    text: `Token ${post.provider} could not be refreshed`,
    blocks: [
      section(
        `:rotating_light: The ${name} token could not be refreshed and ${STANDING[post.status]}.${until}\n${error}`,
      ),
      context(`${retry}; \`/incident auth-401\` opens the authentication playbook.`),
    ],
  };
}
