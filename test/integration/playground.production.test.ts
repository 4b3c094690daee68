import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackEmulator } from '../../src/playground/emulator/index.js';
import { REPO, type Started, freePort, newUserEnv, start, stop } from '../browser/process.js';

/**
 * With Slack credentials the playground never starts: `src/main.ts` run as
 * production runs it (against the emulator standing in for slack.com) has no
 * page, no emulator routes and, above all, no way to move its clock.
 */

let slack: SlackEmulator;
let workdir: string;
let port: number;
let bot: Started;

beforeAll(async () => {
  slack = await SlackEmulator.start();
  workdir = await mkdtemp(join(tmpdir(), 'incidentbot-production-'));
  port = await freePort();
  // tsx from this repository, whatever the working directory: production mode needs no build.
  const tsx = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
  bot = await start(process.execPath, ['--import', tsx, join(REPO, 'src/main.ts')], {
    cwd: workdir,
    env: newUserEnv({
      PORT: String(port),
      PLAYBOOKS_DIR: join(REPO, 'playbooks'),
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      LOG_FORMAT: 'json',
    }),
    ready: /incident-bot listening on/,
  });
}, 90_000);

afterAll(async () => {
  if (bot) await stop(bot);
  await slack?.close();
  if (workdir) await rm(workdir, { recursive: true, force: true });
});

describe('a bot connected to Slack', () => {
  it('is up', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it('has no clock route, no page and no emulator routes', async () => {
    const clock = await fetch(`http://127.0.0.1:${port}/playground/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"minutes":15}',
    });
    expect(clock.status).toBe(404);
    for (const path of ['/', '/playground/info', '/playground/web/app.js', '/emulator/state', '/emulator/events']) {
      expect((await fetch(`http://127.0.0.1:${port}${path}`)).status, path).toBe(404);
    }
  });

  it('prints no playground line', () => {
    expect(bot.output()).not.toMatch(/Playground:/);
  });

  it('stops with exit code 0 on SIGTERM', async () => {
    expect(await stop(bot), bot.output()).toBe(0);
  });
});
