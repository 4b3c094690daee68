import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleOf } from '../../src/config/schedules.js';
import { parseEnv } from '../../src/config/env.js';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { InProcessCoordinator } from '../../src/coord/memory.js';
import { whoIsOnCall } from '../../src/domain/oncall.js';
import { silentLogger } from '../../src/log.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import { SEED } from '../../src/playground/emulator/index.js';
import type { Workspace } from '../../src/playground/emulator/state.js';
import type { HandoffStep, OnCallNow } from '../../src/playground/oncallShape.js';
import { type RunningPlayground, startPlayground } from '../../src/playground/start.js';
import { type TestDatabase, createTestDatabase } from '../support/db.js';
import { PLAYBOOKS_DIR } from '../support/harness.js';
import { until } from '../support/wait.js';

/**
 * The playground's on-call view, through its HTTP routes, with the example config's two schedules: who is on call
 * for the seeded people, and the "Next handoff" clock control that shows a handoff happening (the incoming person's
 * DM, then the user group's new member).
 */

let database: TestDatabase;
let config: Config;
let dataDir: string;
let playground: RunningPlayground;

const base = () => `http://localhost:${playground.bot.port}`;
const getJson = async <T>(path: string): Promise<T> => {
  const res = await fetch(`${base()}${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
};
const nextHandoff = async (): Promise<{ now: string; step: HandoffStep }> => {
  const res = await fetch(`${base()}/playground/clock/next-handoff`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-playground-token': playground.token },
    body: '{}',
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { now: string; step: HandoffStep };
};

const AUTH_TITLE = 'Authentication on-call';

/** The handoff notices for the auth schedule in a person's direct messages with the bot. */
function authNotices(workspace: Workspace, user: string): string[] {
  const dms = workspace.channels.filter((c) => c.kind === 'im' && c.im_user === user).map((c) => c.id);
  return dms
    .flatMap((id) => workspace.messages[id] ?? [])
    .map((m) => m.text ?? '')
    .filter((text) => text.startsWith(`You are on call for ${AUTH_TITLE}`));
}

const authGroup = (workspace: Workspace) => workspace.usergroups.find((g) => g.id === SEED.usergroups.authNow)?.users;

beforeAll(async () => {
  database = await createTestDatabase('postgres');
  ({ config } = await loadConfigFile(exampleConfigPath, {}, { isExample: true }));
  const { playbooks } = await loadPlaybooks(PLAYBOOKS_DIR);
  dataDir = await mkdtemp(join(tmpdir(), 'playground-oncall-'));
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

describe('the playground on call', () => {
  it("answers who is on call for each of the example's schedules at the bot's clock", async () => {
    const answer = await getJson<OnCallNow>('/playground/oncall');
    expect(answer.schedules.map((s) => s.id)).toEqual(['auth', 'platform']);
    const people = Object.values(SEED.users);
    for (const shown of answer.schedules) {
      const expected = whoIsOnCall(scheduleOf(shown.id, config.schedules[shown.id]!), [], new Date(answer.now));
      expect(shown.user).toBe(expected.user);
      expect(people).toContain(shown.user);
    }
    expect(answer.schedules.find((s) => s.id === 'auth')?.usergroup).toBe(SEED.usergroups.authNow);
    expect(answer.next).toBeDefined();
  });

  it("moves the clock only for the page's own requests", async () => {
    const before = (await getJson<{ clock: { offsetMs: number } }>('/playground/info')).clock.offsetMs;
    const refused = await fetch(`${base()}/playground/clock/next-handoff`, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(403);
    expect((await getJson<{ clock: { offsetMs: number } }>('/playground/info')).clock.offsetMs).toBe(before);
  });

  it('moves the clock past the next handoff: the incoming person gets one DM, then the user group changes', async () => {
    // Past other schedules' steps, to the auth schedule's next notice (a handful: handoffs are at most a day apart).
    let step: HandoffStep | undefined;
    for (let i = 0; i < 12 && !(step?.schedule === 'auth' && step.phase === 'notice'); i++)
      step = (await nextHandoff()).step;
    expect(step).toMatchObject({ schedule: 'auth', phase: 'notice' });
    const incoming = step!.to!;
    // The worker may still be sending it when the clock's answer comes (the bot's own tick runs beside it).
    const before = await until(
      async () => {
        const state = await getJson<Workspace>('/emulator/state');
        return authNotices(state, incoming).length > 0 && state;
      },
      { what: 'the handoff DM' },
    );
    const outgoing = (await getJson<OnCallNow>('/playground/oncall')).schedules.find((s) => s.id === 'auth')!.user;
    expect(outgoing).not.toBe(incoming);
    expect(authGroup(before)).toEqual([outgoing]);
    const notices = authNotices(before, incoming);
    expect(notices).toHaveLength(1);
    expect(notices[0]).not.toContain('late by');

    // The next step of the auth schedule is the handoff itself.
    do step = (await nextHandoff()).step;
    while (step.schedule !== 'auth');
    expect(step).toMatchObject({ schedule: 'auth', phase: 'start', to: incoming });
    const after = await until(
      async () => {
        const state = await getJson<Workspace>('/emulator/state');
        return authGroup(state)?.includes(incoming) && state;
      },
      { what: "the user group's new member" },
    );
    expect(authGroup(after)).toEqual([incoming]);
    expect(authNotices(after, incoming)).toHaveLength(1);
    const now = await getJson<OnCallNow>('/playground/oncall');
    expect(now.schedules.find((s) => s.id === 'auth')?.user).toBe(incoming);
  });
});
