import { describe, expect, it } from 'vitest';
import { parseEnv, startMode } from '../../src/config/env.js';

/** What main.ts starts for a given environment, decided before anything is opened. */

const SLACK = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'abcdefgh12345678' };
const mode = (env: Record<string, string>, asked = false) => startMode(parseEnv(env), asked);

describe('startMode', () => {
  it('starts the bot whenever the Slack credentials are complete', () => {
    expect(mode(SLACK)).toEqual({ kind: 'bot' });
    expect(mode({ ...SLACK, NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y' })).toEqual({ kind: 'bot' });
    expect(mode({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', REDIS_URL: 'redis://x' })).toEqual({
      kind: 'bot',
    });
  });

  it('starts the playground for someone who has set nothing, and says it was not asked for', () => {
    expect(mode({})).toEqual({ kind: 'playground', asked: false });
    expect(mode({ NODE_ENV: 'development' })).toEqual({ kind: 'playground', asked: false });
  });

  it('starts the playground when asked, by the subcommand or INCIDENTBOT_PLAYGROUND=1, even beside real credentials', () => {
    expect(mode({}, true)).toEqual({ kind: 'playground', asked: true });
    expect(mode({ INCIDENTBOT_PLAYGROUND: '1' })).toEqual({ kind: 'playground', asked: true });
    expect(mode({ ...SLACK, INCIDENTBOT_PLAYGROUND: 'true' })).toEqual({ kind: 'playground', asked: true });
    expect(mode({ INCIDENTBOT_PLAYGROUND: '0', ...SLACK })).toEqual({ kind: 'bot' });
  });

  it('never falls back to the playground when the process looks deployed, naming every reason', () => {
    expect(() => mode({ NODE_ENV: 'production' })).toThrow(
      /while NODE_ENV is production; set the Slack credentials\.$/,
    );
    expect(() => mode({ DATABASE_URL: 'postgres://x/y', REDIS_URL: 'redis://x' })).toThrow(
      /while DATABASE_URL is set and REDIS_URL is set; set the Slack credentials, or run `incidentbot playground`/,
    );
    expect(() => mode({ NODE_ENV: 'production' }, true)).toThrow(/^Refusing to start the playground/);
  });

  it('refuses malformed switches and a metrics port that is the main port', () => {
    expect(() => parseEnv({ INCIDENTBOT_PLAYGROUND: 'maybe' })).toThrow(/INCIDENTBOT_PLAYGROUND/);
    expect(() => parseEnv({ PORT: '3000', METRICS_PORT: '3000' })).toThrow(/METRICS_PORT must differ from PORT/);
    expect(() => parseEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
    expect(parseEnv({ METRICS_PORT: '9464', METRICS_TOKEN: 'x'.repeat(16) })).toMatchObject({
      METRICS_PORT: 9464,
      METRICS_TOKEN: 'x'.repeat(16),
    });
  });
});
