import { z } from 'zod';
import { BotError } from '../errors.js';
import type { Env } from './secret.js';

const blankIsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsUnset, schema.optional());

/** The environment as DESIGN.md's runtime contract defines it. */
const envSchema = z.object({
  SLACK_BOT_TOKEN: optional(z.string().regex(/^xoxb-/, 'must be a bot token (xoxb-…)')),
  SLACK_SIGNING_SECRET: optional(z.string().min(8)),
  SLACK_APP_TOKEN: optional(z.string().regex(/^xapp-/, 'must be an app-level token (xapp-…)')),
  SLACK_API_URL: z.preprocess(blankIsUnset, z.url().default('https://slack.com/api/')),
  PORT: z.preprocess(blankIsUnset, z.coerce.number().int().min(0).max(65_535).default(3000)),
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')),
  REDIS_URL: optional(z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL')),
  DATA_DIR: z.preprocess(blankIsUnset, z.string().default('./data')),
  INCIDENTBOT_CONFIG: optional(z.string()),
  PLAYBOOKS_DIR: z.preprocess(blankIsUnset, z.string().default('./playbooks')),
  LOG_LEVEL: z.preprocess(
    blankIsUnset,
    z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  ),
  LOG_FORMAT: optional(z.enum(['json', 'pretty'])),
});

/** How the bot reaches Slack, decided once from the environment. */
export type SlackConnection =
  | { mode: 'http'; botToken: string; signingSecret: string; apiUrl: string }
  | { mode: 'socket'; botToken: string; appToken: string; apiUrl: string }
  | { mode: 'none'; apiUrl: string };

export type RuntimeEnv = Omit<
  z.infer<typeof envSchema>,
  'SLACK_BOT_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN'
> & {
  slack: SlackConnection;
};

export const SLACK_VARIABLES_HINT =
  'set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP mode) or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode) to connect to Slack';

export function parseEnv(env: Env): RuntimeEnv {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new BotError('config_invalid', `invalid environment:\n${lines.join('\n')}`);
  }
  const {
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_APP_TOKEN: appToken,
    ...rest
  } = result.data;
  const apiUrl = rest.SLACK_API_URL.endsWith('/') ? rest.SLACK_API_URL : `${rest.SLACK_API_URL}/`;
  let slack: SlackConnection;
  if (!botToken) {
    if (signingSecret || appToken)
      throw new BotError('config_invalid', `invalid environment: SLACK_BOT_TOKEN is not set; ${SLACK_VARIABLES_HINT}`);
    slack = { mode: 'none', apiUrl };
  } else if (appToken) {
    slack = { mode: 'socket', botToken, appToken, apiUrl };
  } else if (signingSecret) {
    slack = { mode: 'http', botToken, signingSecret, apiUrl };
  } else {
    throw new BotError(
      'config_invalid',
      `invalid environment: SLACK_SIGNING_SECRET is not set (or set SLACK_APP_TOKEN for Socket Mode)`,
    );
  }
  return { ...rest, SLACK_API_URL: apiUrl, slack };
}
