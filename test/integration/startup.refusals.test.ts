import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackEmulator } from '../../src/playground/emulator/index.js';
import { REPO, type Started, freePort, newUserEnv, start, stop } from '../browser/process.js';

/**
 * The real entry point (`src/main.ts` through tsx, as `node dist/main.js` runs it) started with the environments an
 * operator might get wrong. A deployed-looking process without complete Slack credentials never falls back to the
 * playground: it exits 1 with one sentence on stderr naming what is missing.
 */

const tsx = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;

/** The newest modification time under `dir` (files ending in `.ts`). */
function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return Math.max(newest, newestSource(path));
    return entry.name.endsWith('.ts') ? Math.max(newest, statSync(path).mtimeMs) : newest;
  }, 0);
}

/**
 * The compiled entry point when dist/ is newer than every source file (CI builds it in `npm ci`), else the sources
 * through tsx: a start through tsx costs about 5 s of loading on a busy 2-core machine, the compiled one well under 1 s.
 */
const ENTRY = (() => {
  const built = join(REPO, 'dist/main.js');
  const fresh = existsSync(built) && statSync(built).mtimeMs >= newestSource(join(REPO, 'src'));
  return fresh ? [built] : ['--import', tsx, join(REPO, 'src/main.ts')];
})();
let workdir: string;

beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), 'incidentbot-start-'));
});
afterAll(async () => {
  if (workdir) await rm(workdir, { recursive: true, force: true });
});

/** Runs main.ts to its exit (a refusal exits at once); what it printed on each stream. */
function run(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, [...ENTRY, ...args], {
    cwd: workdir,
    env: newUserEnv({ PLAYBOOKS_DIR: join(REPO, 'playbooks'), DATA_DIR: join(workdir, 'data'), ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    }),
  );
}

const BOT = 'xoxb-1-refusal-test';
const SECRET = 'abcdefgh12345678';
const APP = 'xapp-1-refusal-test';

describe('the bot refuses to start, exit code 1 and one sentence on stderr', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    [
      'NODE_ENV=production without Slack credentials',
      { NODE_ENV: 'production' },
      /^Refusing to start: SLACK_BOT_TOKEN is not set .* while NODE_ENV is production; set the Slack credentials\.$/,
    ],
    [
      'DATABASE_URL set without Slack credentials',
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' },
      /^Refusing to start: SLACK_BOT_TOKEN is not set .* while DATABASE_URL is set; .*incidentbot playground.*\.$/,
    ],
    [
      'REDIS_URL set without Slack credentials',
      { REDIS_URL: 'redis://127.0.0.1:6379' },
      /^Refusing to start: SLACK_BOT_TOKEN is not set .* while REDIS_URL is set;/,
    ],
    [
      'a bot token without a signing secret and without an app token',
      { NODE_ENV: 'production', SLACK_BOT_TOKEN: BOT },
      /^Refusing to start: SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not set .* SLACK_APP_TOKEN .*\.$/,
    ],
    [
      'an app token without a bot token',
      { SLACK_APP_TOKEN: APP },
      /^Refusing to start: SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not set;/,
    ],
    [
      'a signing secret without a bot token, even with nothing else set',
      { SLACK_SIGNING_SECRET: SECRET },
      /^Refusing to start: SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not set;/,
    ],
    [
      'NODE_ENV=production with complete credentials but no config file of its own',
      { NODE_ENV: 'production', SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET },
      /^Refusing to start: NODE_ENV is production and there is no config file; set INCIDENTBOT_CONFIG or put incidentbot\.yml in .*\.$/,
    ],
    [
      'the playground asked for under NODE_ENV=production',
      { NODE_ENV: 'production', INCIDENTBOT_PLAYGROUND: '1' },
      /^Refusing to start the playground: NODE_ENV is production;/,
    ],
  ];

  for (const [name, env, sentence] of cases) {
    it(`refuses ${name}`, async () => {
      const { code, stdout, stderr } = await run(env);
      expect(code, `${stdout}\n${stderr}`).toBe(1);
      const lines = stderr.trim().split('\n');
      expect(lines, stderr).toHaveLength(1);
      expect(lines[0]).toMatch(sentence);
      expect(stdout).not.toMatch(/listening|Playground:/);
    });
  }
});

describe('the playground starts only when asked, or when nothing at all is set', () => {
  let started: Started | undefined;
  afterAll(async () => {
    if (started) await stop(started);
  });

  it('starts it with nothing set, and says why in the log', async () => {
    const port = await freePort();
    started = await start(process.execPath, ENTRY, {
      cwd: workdir,
      env: newUserEnv({ PORT: String(port), PLAYBOOKS_DIR: join(REPO, 'playbooks'), DATA_DIR: join(workdir, 'a') }),
      // The log line, not the `Playground:` line: pino may flush after that is printed.
      ready: /Not connected to Slack \(no Slack credentials, DATABASE_URL or REDIS_URL are set/,
      timeoutMs: 100_000,
    });
    expect(started.output()).toMatch(/^Playground: http:\/\/localhost:/m);
    expect(await stop(started)).toBe(0);
    started = undefined;
  }, 120_000);

  it('starts it when asked with `playground`', async () => {
    const port = await freePort();
    started = await start(process.execPath, [...ENTRY, 'playground'], {
      cwd: workdir,
      env: newUserEnv({ PORT: String(port), PLAYBOOKS_DIR: join(REPO, 'playbooks'), DATA_DIR: join(workdir, 'b') }),
      ready: /Not connected to Slack \(asked for\)/,
      timeoutMs: 100_000,
    });
    expect(await stop(started)).toBe(0);
    started = undefined;
  }, 120_000);
});

describe('a production start with everything it needs', () => {
  let slack: SlackEmulator;
  let bot: Started | undefined;
  let port: number;
  let metricsPort: number;
  const METRICS_TOKEN = 'metrics-token-0123456789';

  beforeAll(async () => {
    slack = await SlackEmulator.start();
    const dir = await mkdtemp(join(workdir, 'prod-'));
    await copyFile(join(REPO, 'incidentbot.example.yml'), join(dir, 'incidentbot.yml'));
    [port, metricsPort] = [await freePort(), await freePort()];
    bot = await start(process.execPath, ENTRY, {
      cwd: dir,
      env: newUserEnv({
        NODE_ENV: 'production',
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        METRICS_TOKEN,
        PLAYBOOKS_DIR: join(REPO, 'playbooks'),
        DATA_DIR: join(dir, 'data'),
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: slack.signingSecret,
        SLACK_API_URL: slack.apiUrl,
        LOG_FORMAT: 'json',
        // What the example, used as a real config, refers to.
        SALESFORCE_CLIENT_ID: 'client-id',
        SALESFORCE_CLIENT_SECRET: 'client-secret',
        DEPLOY_API_TOKEN: 'deploy-token',
        ALERTMANAGER_TOKEN: 'alertmanager-token-0123456789abcdef',
        SMTP_USER: 'smtp-user',
        SMTP_PASSWORD: 'smtp-password',
        TWILIO_ACCOUNT_SID: 'AC0123456789',
        TWILIO_AUTH_TOKEN: 'twilio-token',
        PAGERDUTY_ROUTING_KEY: 'pd-routing-key',
        PAGERDUTY_WEBHOOK_SECRET: 'pd-webhook-secret',
        OPSGENIE_API_KEY: 'opsgenie-key',
        OPSGENIE_WEBHOOK_TOKEN: 'opsgenie-token',
        PAGING_WEBHOOK_SECRET: 'webhook-secret',
        AUTH_CALENDAR_TOKEN: 'calendar-token-0123456789abcdef',
      }),
      ready: /incident-bot listening on/,
      timeoutMs: 100_000,
    });
  }, 120_000);
  afterAll(async () => {
    if (bot) await stop(bot);
    await slack?.close();
  });

  it('starts with ./incidentbot.yml, ready with each dependency named', async () => {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok', redis: 'ok', slack: 'ok' });
    expect(ready.status).toBe(200);
  });

  it('serves /metrics on METRICS_PORT only, behind METRICS_TOKEN', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
    const refused = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(refused.status).toBe(401);
    const wrong = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, {
      headers: { authorization: 'Bearer metrics-token-0123456788' },
    });
    expect(wrong.status).toBe(401);
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('incidentbot_slack_requests_total');
  });
});
