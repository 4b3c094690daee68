import type { ThreadPost } from '../../app/ports.js';
import type { TokenView } from '../../app/replies.js';
import { formatDuration } from '../../domain/duration.js';
import { type SlackMessage, context, mention, section, slackDate, userText } from '../../blockKit/blocks.js';

type TokenPost = Extract<ThreadPost, { kind: 'token-refreshed' | 'token-alert' }>;

/** Token posts in the incident's thread: a refresh someone asked for, and the proactive refresh's alerts. */
export function tokenMessage(post: TokenPost): SlackMessage {
  if (post.kind === 'token-alert') return tokenAlert(post);
  return {
    text: `Token ${userText(post.provider, 60)} ${post.ok ? 'refreshed' : 'refresh failed'}`,
    blocks: [section(refreshText(post))],
  };
}

function refreshText(post: Extract<TokenPost, { kind: 'token-refreshed' }>): string {
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
      text: `Token ${userText(post.provider, 60)} refreshed again`,
      blocks: [section(`:large_green_circle: The ${name} token was refreshed again.${until}`)],
    };
  }
  const error = userText(post.error ?? 'unknown error', 500);
  const retry = `\`/incident token refresh ${userText(post.provider, 60)}\` tries again now`;
  return {
    text: `Token ${userText(post.provider, 60)} could not be refreshed`,
    blocks: [
      section(
        `:rotating_light: The ${name} token could not be refreshed and ${STANDING[post.status]}.${until}\n${error}`,
      ),
      context(`${retry}; \`/incident auth-401\` opens the authentication playbook.`),
    ],
  };
}

/** `/incident token status`: each provider's state, age, last refresh and cache counts. */
export function tokenStatusMessage(tokens: TokenView[]): SlackMessage {
  if (tokens.length === 0) {
    const none = 'No token providers are configured (`tokens:` in the config).';
    return { text: none, blocks: [section(none)] };
  }
  const icon: Record<string, string> = {
    valid: ':large_green_circle:',
    expiring: ':large_yellow_circle:',
    expired: ':red_circle:',
    missing: ':white_circle:',
  };
  const lines = tokens.map((t) => {
    const facts = [
      t.expiresAt ? `, valid until ${slackDate(t.expiresAt, '{time}')}` : '',
      t.ageMs !== undefined ? `, ${formatDuration(t.ageMs)} old` : '',
      t.lastRefreshAt ? `, last refresh ${slackDate(t.lastRefreshAt, '{time}')}` : '',
      t.lastError ? `\n      last error: ${userText(t.lastError, 300)}` : '',
    ].join('');
    const cache = `cache ${t.cacheHits} hits / ${t.cacheMisses} misses`;
    return `${icon[t.status] ?? ''} *${userText(t.title, 80)}* \`${userText(t.provider, 40)}\` — ${t.status}${facts} · ${cache}`;
  });
  return { text: 'Token status', blocks: [section(`*Tokens*\n${lines.join('\n')}`)] };
}
