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
  /** `production` makes every missing piece a refusal at start (Slack credentials, a config file of its own). */
  NODE_ENV: optional(z.string()),
  /** `1`: run the local playground (the same as `incidentbot playground`). */
  INCIDENTBOT_PLAYGROUND: z.preprocess(
    blankIsUnset,
    z
      .enum(['1', 'true', 'yes', '0', 'false', 'no'], 'must be 1 or 0')
      .optional()
      .transform((v) => v === '1' || v === 'true' || v === 'yes'),
  ),
  /** Serve `/metrics` on this port (all interfaces) instead of PORT. */
  METRICS_PORT: optional(z.coerce.number().int().min(1).max(65_535)),
  /** `/metrics` answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
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
      throw new BotError(
        'config_invalid',
        `Refusing to start: ${appToken ? 'SLACK_APP_TOKEN' : 'SLACK_SIGNING_SECRET'} is set but SLACK_BOT_TOKEN is not set; ` +
          'the bot needs its bot token (xoxb-) too.',
      );
    slack = { mode: 'none', apiUrl };
  } else if (appToken) {
    slack = { mode: 'socket', botToken, appToken, apiUrl };
  } else if (signingSecret) {
    slack = { mode: 'http', botToken, signingSecret, apiUrl };
  } else {
    throw new BotError(
      'config_invalid',
      'Refusing to start: SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not set (HTTP mode) ' +
        'and neither is SLACK_APP_TOKEN (Socket Mode).',
    );
  }
  if (rest.METRICS_PORT !== undefined && rest.METRICS_PORT === rest.PORT)
    throw new BotError('config_invalid', `invalid environment: METRICS_PORT must differ from PORT (${rest.PORT})`);
  return { ...rest, SLACK_API_URL: apiUrl, slack };
}

/** What `main.ts` starts: the bot connected to Slack, or the local playground (asked for, or the new user's default). */
export type StartMode = { kind: 'bot' } | { kind: 'playground'; asked: boolean };

/**
 * Decides what starts, or refuses in one sentence. The playground runs when asked for (`incidentbot playground`,
 * `INCIDENTBOT_PLAYGROUND=1`) or, for someone trying the bot, when nothing at all is set; a process that looks
 * deployed (NODE_ENV=production, a shared DATABASE_URL or REDIS_URL) without Slack credentials never falls back to
 * it, since a playground on a shared database would claim real due work and answer ready.
 */
export function startMode(env: RuntimeEnv, playgroundAsked: boolean): StartMode {
  const production = env.NODE_ENV === 'production';
  if (playgroundAsked || env.INCIDENTBOT_PLAYGROUND) {
    if (production)
      throw new BotError(
        'config_invalid',
        'Refusing to start the playground: NODE_ENV is production; the playground is for trying the bot on one machine.',
      );
    return { kind: 'playground', asked: true };
  }
  if (env.slack.mode !== 'none') return { kind: 'bot' };
  const deployed = [
    ...(production ? ['NODE_ENV is production'] : []),
    ...(env.DATABASE_URL ? ['DATABASE_URL is set'] : []),
    ...(env.REDIS_URL ? ['REDIS_URL is set'] : []),
  ];
  if (deployed.length === 0) return { kind: 'playground', asked: false };
  throw new BotError(
    'config_invalid',
    `Refusing to start: SLACK_BOT_TOKEN is not set (with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN) while ${deployed.join(
      ' and ',
    )}; set the Slack credentials${production ? '' : ', or run `incidentbot playground` for the local playground'}.`,
  );
}
