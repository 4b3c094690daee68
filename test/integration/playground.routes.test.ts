import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.js';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { InProcessCoordinator } from '../../src/coord/memory.js';
import { silentLogger } from '../../src/log.js';
import type { Playbook } from '../../src/playbooks/schema.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import { SEED } from '../../src/playground/emulator/index.js';
import { type RunningPlayground, startPlayground } from '../../src/playground/start.js';
import { type TestDatabase, createTestDatabase } from '../support/db.js';
import { PLAYBOOKS_DIR } from '../support/harness.js';

/**
 * The playground's routes on the bot's port, in-process: the clock controls
 * (moved, persisted, due work run at once), the dry-run switch, the
 * loopback-only guard, and what a restart keeps.
 */

let database: TestDatabase;
let config: Config;
let playbooks: readonly Playbook[];
let dataDir: string;
let playground: RunningPlayground;

const boot = (cfg: Config = config) =>
  startPlayground({
    env: parseEnv({ PORT: '0', DATA_DIR: dataDir }),
    config: cfg,
    playbooks,
    db: database.db,
    coord: new InProcessCoordinator(),
    log: silentLogger,
  });
const base = () => `http://localhost:${playground.bot.port}`;
const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base()}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-playground-token': playground.token, ...headers },
    body: JSON.stringify(body),
  });

/** A raw request, so the Host header can be anything (fetch will not let us set it). */
function rawGet(path: string, host: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((done, fail) => {
    const req = request(
      { host: '127.0.0.1', port: playground.bot.port, path, headers: { host, ...headers } },
      (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      },
    );
    req.on('error', fail);
    req.end();
  });
}

beforeAll(async () => {
  database = await createTestDatabase('postgres');
  ({ config } = await loadConfigFile(exampleConfigPath, {}, { isExample: true }));
  ({ playbooks } = await loadPlaybooks(PLAYBOOKS_DIR));
  dataDir = await mkdtemp(join(tmpdir(), 'playground-routes-'));
  playground = await boot();
});

afterAll(async () => {
  await playground?.stop();
  await database?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the page', () => {
  it("is served on the bot's own port, on loopback only, with a content security policy", async () => {
    expect(playground.bot.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(`${base()}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('aria-label="Message"');
    expect((await fetch(`${base()}/playground/static/style.css`)).headers.get('content-type')).toContain('text/css');
  });

  it('serves no file outside its two folders', async () => {
    for (const path of [
      '/playground/web/..%2Fstart.ts',
      '/playground/static/..%2F..%2Fmain.ts',
      '/playground/static/.hidden.css',
      '/playground/web/nothing.js',
    ]) {
      expect((await fetch(`${base()}${path}`)).status, path).toBe(404);
    }
  });

  it("answers only this machine's own page: another Host or another Origin is refused", async () => {
    expect(await rawGet('/emulator/state', `localhost:${playground.bot.port}`)).toBe(200);
    expect(await rawGet('/emulator/state', 'attacker.example')).toBe(403);
    const forged = await postJson(
      '/emulator/command',
      { text: 'help', user: SEED.users.ada },
      { origin: 'http://attacker.example' },
    );
    expect(forged.status).toBe(403);
    expect((await postJson('/playground/clock', { minutes: 5 }, { origin: 'https://evil.example' })).status).toBe(403);
  });

  it("gives the page this run's token in its HTML, and takes the page's POSTs only with it", async () => {
    const html = await (await fetch(`${base()}/`)).text();
    expect(playground.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(html).toContain(`<meta name="playground-token" content="${playground.token}">`);
    const channels = playground.emulator.workspace.channels.length;
    for (const token of [undefined, '', 'x'.repeat(32)]) {
      const forged = await fetch(`${base()}/emulator/command`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { 'x-playground-token': token }),
        },
        body: JSON.stringify({ text: 'auth-401 forged', user: SEED.users.ada, channel: SEED.channels.incidents }),
      });
      expect(forged.status, String(token)).toBe(403);
    }
    const clock = await fetch(`${base()}/playground/clock`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"minutes":60}',
    });
    expect(clock.status).toBe(403);
    expect(playground.emulator.workspace.channels.length).toBe(channels);
    expect(playground.emulator.calls.some((c) => c.method === 'conversations.create')).toBe(false);
  });

  it('refuses a cross-site GET of the Web API (an image or a link on another site), even with the bot token', async () => {
    const token = playground.emulator.botToken;
    expect(token).toMatch(/^xoxb-playground-[0-9a-f]{24}$/);
    const path = `/api/conversations.create?name=pwned&token=${token}`;
    const host = `localhost:${playground.bot.port}`;
    expect(await rawGet(path, host, { 'sec-fetch-site': 'cross-site' })).toBe(403);
    expect(await rawGet(path, host, { 'sec-fetch-site': 'same-site' })).toBe(403);
    expect(playground.emulator.channelByName('pwned')).toBeUndefined();
  });
});

describe('dry runs', () => {
  it('runs actions as dry runs unless playground.run_actions is true, and says so', async () => {
    expect(playground.dryRun).toBe(true);
    expect(playground.bot.deps?.config.dry_run).toBe(true);
    expect(await (await fetch(`${base()}/playground/info`)).json()).toMatchObject({ dryRun: true });
    const real = await boot({ ...config, playground: { run_actions: true } });
    try {
      expect(real.dryRun).toBe(false);
      expect(real.bot.deps?.config.dry_run).toBe(false);
    } finally {
      await real.stop();
    }
  });
});

describe('the clock', () => {
  it('refuses anything but a whole number of minutes forward', async () => {
    for (const body of [{ minutes: 0 }, { minutes: -5 }, { minutes: 1.5 }, { minutes: '15' }, { minutes: 1e9 }, {}]) {
      expect((await postJson('/playground/clock', body)).status, JSON.stringify(body)).toBe(400);
    }
  });

  it('moves 15 minutes, fires the escalation that fell due before answering, and keeps the offset on disk', async () => {
    const { emulator } = playground;
    await emulator.sendCommand({
      text: 'auth-401 login failing',
      user: SEED.users.ada,
      channel: SEED.channels.incidents,
    });
    const channel = await emulator.waitFor(() => emulator.channelByName('inc-1-auth-401'), {
      what: 'the incident channel',
    });
    const live = await emulator.waitFor(() => emulator.messages(channel.id)[0], { what: 'the live message' });
    await emulator.waitFor(
      () => emulator.thread(channel.id, live.ts).some((m) => m.text.startsWith('Paging level 1')),
      { what: 'level 1 paged' },
    );

    const moved = await postJson('/playground/clock', { minutes: 15 });
    expect(moved.status).toBe(200);
    const body = (await moved.json()) as { offsetMs: number; now: string; ran: number };
    expect(body.offsetMs).toBe(15 * 60_000);
    expect(body.ran).toBeGreaterThan(0);
    expect(new Date(body.now).getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    // Answered after the due work ran: level 2 is already paged, no waiting on the next cron tick.
    expect(emulator.thread(channel.id, live.ts).map((m) => m.text)).toContainEqual(
      expect.stringMatching(/^Paging level 2/),
    );
    expect(JSON.parse(await readFile(join(dataDir, 'playground', 'clock.json'), 'utf8'))).toEqual({
      offsetMs: 15 * 60_000,
    });
  });

  it('a restart keeps the clock ahead and the channels with their history', async () => {
    await playground.stop();
    playground = await boot();
    const info = (await (await fetch(`${base()}/playground/info`)).json()) as { clock: { offsetMs: number } };
    expect(info.clock.offsetMs).toBe(15 * 60_000);
    const channel = playground.emulator.channelByName('inc-1-auth-401');
    expect(channel).toBeDefined();
    expect(playground.emulator.messages(channel!.id)[0]?.text).toMatch(/^INC-1 /);
  });
});
