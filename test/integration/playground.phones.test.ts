import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.js';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import { InProcessCoordinator } from '../../src/coord/memory.js';
import { silentLogger } from '../../src/log.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import { SEED } from '../../src/playground/emulator/index.js';
import type { PersonPhone } from '../../src/playground/phones.js';
import { type RunningPlayground, startPlayground } from '../../src/playground/start.js';
import { type TestDatabase, createTestDatabase } from '../support/db.js';
import { PLAYBOOKS_DIR } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';
import { until } from '../support/wait.js';

/**
 * The Phones panel's routes: the example's people are paged by the provider emulators as the clock moves,
 * and a reply from the panel reaches the bot as Twilio's signed webhook.
 */

let database: TestDatabase;
let dataDir: string;
let playground: RunningPlayground;

const ADA = SEED.users.ada;
const base = () => `http://localhost:${playground.bot.port}`;
const postJson = (path: string, body: unknown, token = playground.token) =>
  fetch(`${base()}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-playground-token': token },
    body: JSON.stringify(body),
  });
const phoneOf = async (user: string): Promise<PersonPhone> => {
  const { people } = (await (await fetch(`${base()}/playground/phones`)).json()) as { people: PersonPhone[] };
  return people.find((p) => p.user === user)!;
};

beforeAll(async () => {
  database = await createTestDatabase('postgres');
  const { config } = await loadConfigFile(exampleConfigPath, {}, { isExample: true });
  const { playbooks } = await loadPlaybooks(PLAYBOOKS_DIR);
  dataDir = await mkdtemp(join(tmpdir(), 'playground-phones-'));
  playground = await startPlayground({
    env: parseEnv({ PORT: '0', DATA_DIR: dataDir }),
    config,
    playbooks,
    db: database.db,
    coord: new InProcessCoordinator(),
    log: silentLogger,
  });
});

afterAll(async () => {
  await playground?.stop();
  await database?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Opens an incident from #incidents as Ada would, and answers its key once the bot has it. */
async function openIncident(title: string): Promise<string> {
  const newest = async () =>
    (await database.db.query<{ key: string }>('SELECT key FROM incidents ORDER BY id DESC LIMIT 1')).rows[0]?.key;
  const before = await newest();
  const opened = await postJson('/emulator/command', { text: title, user: ADA, channel: SEED.channels.incidents });
  expect(opened.status).toBe(200);
  const key = await until(
    async () => {
      const key = await newest();
      return key !== before && key;
    },
    { what: 'the incident' },
  );
  // Ada is paged in Slack first; her SMS and call are then waiting for the clock.
  await until(
    async () =>
      (
        await database.db.query(
          `SELECT 1 FROM scheduled_work w JOIN incidents i ON i.id = w.incident_id
            WHERE i.key = $1 AND w.kind = 'page.rule' AND w.payload->>'person' = $2 AND w.payload->>'via' = 'sms'`,
          [key, ADA],
        )
      ).rows.length > 0,
    { what: "Ada's SMS rule" },
  );
  return key;
}

describe("the playground's Phones panel", () => {
  it("lists the example's people with their contacts and rules, nothing received yet", async () => {
    const ada = await phoneOf(ADA);
    expect(ada).toMatchObject({ phone: '+15555550101', email: 'oncall-primary@example.com', sms: [], calls: [] });
    expect(ada.rules.map((r) => `${r.via} ${r.afterMinutes}m`)).toEqual(['slack 0m', 'sms 5m', 'voice 10m']);
  });

  it('shows the SMS, then the call, as the clock moves; "reply ACK" acknowledges through the signed webhook', async () => {
    const key = await openIncident('auth-401 phones panel login failing');
    expect((await phoneOf(ADA)).sms).toEqual([]);
    expect((await postJson('/playground/clock', { minutes: 5 })).status).toBe(200);
    const texts = (await phoneOf(ADA)).sms;
    expect(texts).toHaveLength(1);
    expect(texts[0]!.body).toContain(`${key} [sev`);
    expect(texts[0]!.body).toContain('Reply ACK');

    const reply = await postJson('/playground/phones/reply', { user: ADA, text: 'ACK' });
    expect(reply.status).toBe(200);
    expect(await reply.json()).toMatchObject({ kind: 'sms-reply', status: 200, answer: `Acknowledged ${key}.` });
    const timeline = await timelineOf(database.db, key);
    expect(timeline.filter((ev) => ev.kind === 'incident.acknowledged').map((ev) => ev.actor)).toEqual([ADA]);
    expect(timeline.find((ev) => ev.kind === 'page.acknowledged')).toMatchObject({
      actor: ADA,
      data: { channel: 'sms' },
    });
    // Acknowledged: the call at ten minutes never rings.
    await postJson('/playground/clock', { minutes: 15 });
    const ada = await phoneOf(ADA);
    expect(ada.calls).toEqual([]);
    expect(ada.answers.map((a) => a.answer)).toEqual([`Acknowledged ${key}.`]);
  });

  it('rings with the spoken page and "press 1" acknowledges the incident', async () => {
    const key = await openIncident('auth-401 phones panel call');
    const before = (await phoneOf(ADA)).calls.length;
    await postJson('/playground/clock', { minutes: 5 });
    await postJson('/playground/clock', { minutes: 5 });
    const calls = (await phoneOf(ADA)).calls;
    expect(calls).toHaveLength(before + 1);
    const call = calls.at(-1)!;
    expect(call.spoken).toContain('Press 1 to acknowledge.');
    expect(call.canPress).toBe(true);
    const press = await postJson('/playground/phones/press', { sid: call.sid, digits: '1' });
    expect(await press.json()).toMatchObject({
      kind: 'keypress',
      answer: expect.stringContaining(`Acknowledged ${key}`),
    });
    const timeline = await timelineOf(database.db, key);
    expect(timeline.find((ev) => ev.kind === 'page.acknowledged')).toMatchObject({
      actor: ADA,
      data: { channel: 'voice' },
    });
  });

  it("refuses a reply without the page's token, and one for a person with no phone, changing nothing", async () => {
    expect((await postJson('/playground/phones/reply', { user: ADA }, 'x'.repeat(32))).status).toBe(403);
    const noPhone = await postJson('/playground/phones/reply', { user: SEED.users.lin });
    expect(noPhone.status).toBe(400);
    expect(await noPhone.json()).toMatchObject({ error: expect.stringContaining('no phone number') });
    expect((await postJson('/playground/phones/press', { sid: 'CAnope', digits: '1' })).status).toBe(404);
  });
});
