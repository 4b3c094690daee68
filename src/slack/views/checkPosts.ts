import type { ThreadPost } from '../../app/ports.js';
import { formatDuration } from '../../domain/duration.js';
import { type Blocks, LIMITS, type SlackMessage, context, mention, section, userText } from '../../blockKit/blocks.js';

type CheckPost = Extract<ThreadPost, { kind: 'check-running' | 'check-results' }>;

const ICON = { pass: ':large_green_circle:', degraded: ':large_yellow_circle:', fail: ':red_circle:' } as const;

/** Health check posts in the incident's thread: one block per check result. */
export function checkMessage(post: CheckPost): SlackMessage {
  switch (post.kind) {
    case 'check-running': {
      const checks = `${post.count} check${post.count === 1 ? '' : 's'}`;
      const running = `${mention(post.actor)} is running \`${userText(post.target, 60)}\` (${checks})…`;
      return { text: `Running ${userText(post.target, 60)}`, blocks: [context(`:hourglass_flowing_sand: ${running}`)] };
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
      return { text: `Health ${userText(post.target, 60)}: ${summary}`, blocks };
    }
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
