import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { overrideConfig } from '../support/config.js';
import { type Harness, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';
import { until } from '../support/wait.js';

const ADA = 'U0ONCALL01';
const writeArg = "require('fs').writeFileSync(process.argv[1], process.argv[2])";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A process that has exited: its pid names nobody (a bot killed with -9). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

/**
 * What a bot killed with -9 during a rollback leaves: the run `running`, owned by a process that is gone,
 * and the rollback's own process group still running (it was started detached).
 */
describe('Stuck rollback: the bot is killed during a rollback', () => {
  let h: Harness;
  let dir: string;
  const orphans: ChildProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stuck-rollback-'));
    h = await startHarness({
      log: silentLogger,
      config: (base) =>
        overrideConfig(base, {
          actions: {
            'redis-rollback': {
              kind: 'command',
              title: 'Roll back Redis connection logic',
              argv: [process.execPath, '-e', writeArg, join(dir, 'redis-rollback'), '{incident.key}'],
              allowed: { usergroups: ['S0ROLLBACK'] },
              timeout: '10s',
            },
          },
        }),
    });
  });
  afterAll(async () => {
    for (const child of orphans) if (child.pid && alive(child.pid)) process.kill(-child.pid, 'SIGKILL');
    await h.stop();
  });

  /** The run row a dead bot left behind, with its still-running child. */
  async function leftRunning(key: string, owner: { host: string; pid: number; heartbeatAgoMs: number }) {
    const orphan = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
    orphans.push(orphan);
    const { rows } = await h.db.query<{ id: number }>(
      `INSERT INTO action_runs (incident_id, action, idempotency_key, state, dry_run, plan, requested_by, requested_at,
         decided_at, started_at, owner, owner_host, owner_pid, heartbeat_at, child_pid)
       SELECT id, 'redis-rollback', 'killed:' || key, 'running', false, 'rollback', $2, now(), NULL, now(),
              'a-bot-killed-with-9', $3, $4, now() - make_interval(secs => $5::int / 1000.0), $6
         FROM incidents WHERE key = $1 RETURNING id`,
      [key, ADA, owner.host, owner.pid, owner.heartbeatAgoMs, orphan.pid],
    );
    return { runId: rows[0]!.id, child: orphan.pid! };
  }

  it('marks the run interrupted at start-up, stops its process group, says so in the thread, and lets it run again at once', async () => {
    const { key, channel, ts } = await h.open('redis-down killed during rollback');
    // The bot died a second ago on this host: its heartbeat is still fresh, but its pid is gone.
    const { runId, child } = await leftRunning(key, { host: hostname(), pid: await deadPid(), heartbeatAgoMs: 1_000 });

    await h.startReplica();

    const { rows } = await h.db.query<{ state: string }>('SELECT state FROM action_runs WHERE id = $1', [runId]);
    expect(rows[0]!.state).toBe('interrupted');
    expect((await timelineOf(h.db, key)).find((e) => e.kind === 'action.interrupted')?.data).toMatchObject({
      action: 'redis-rollback',
      runId,
    });
    await until(() => !alive(child), { what: 'the orphaned rollback process to be stopped' });
    const said = await until(() =>
      h.slack.thread(channel, ts).find((m) => m.text === 'Roll back Redis connection logic: interrupted'),
    );
    expect(JSON.stringify(said.blocks)).toContain('has been stopped');

    await h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.redis-rollback' });
    await h.settle();
    expect(h.slack.ephemerals({ user: ADA }).some((e) => e.text.includes('already running'))).toBe(false);
    expect(await readFile(join(dir, 'redis-rollback'), 'utf8')).toBe(key);
  });

  it('gives up a run whose owner on another host stopped beating, without touching a process it cannot see', async () => {
    const { key, channel, ts } = await h.open('redis-down replica lost');
    const { runId, child } = await leftRunning(key, { host: 'another-host', pid: 1, heartbeatAgoMs: 60_000 });

    await h.startReplica();

    const { rows } = await h.db.query<{ state: string }>('SELECT state FROM action_runs WHERE id = $1', [runId]);
    expect(rows[0]!.state).toBe('interrupted');
    expect(alive(child)).toBe(true);
    const said = await until(() =>
      h.slack.thread(channel, ts).find((m) => m.text === 'Roll back Redis connection logic: interrupted'),
    );
    expect(JSON.stringify(said.blocks)).toContain('another host');
  });

  it('leaves alone a run on another host whose owner still beats', async () => {
    const { key } = await h.open('redis-down replica alive');
    const { runId } = await leftRunning(key, { host: 'another-host', pid: 1, heartbeatAgoMs: 1_000 });
    await h.startReplica();
    const { rows } = await h.db.query<{ state: string }>('SELECT state FROM action_runs WHERE id = $1', [runId]);
    expect(rows[0]!.state).toBe('running');
    await h.db.query(`UPDATE action_runs SET state = 'failed' WHERE id = $1`, [runId]);
  });

  it('gives up an approved run the bot stopped before starting, says nothing ran, and lets it be requested again', async () => {
    const { key, channel, ts } = await h.open('redis-down killed before start');
    const { rows } = await h.db.query<{ id: number }>(
      `INSERT INTO action_runs (incident_id, action, idempotency_key, state, dry_run, plan, requested_by, requested_at,
         decided_by, decided_at)
       SELECT id, 'redis-rollback', 'approved:' || key, 'approved', false, 'rollback', $2, now() - interval '4 minutes',
              'U0SECOND02', now() - interval '3 minutes'
         FROM incidents WHERE key = $1 RETURNING id`,
      [key, ADA],
    );
    await h.startReplica();
    const run = await h.db.query<{ state: string }>('SELECT state FROM action_runs WHERE id = $1', [rows[0]!.id]);
    expect(run.rows[0]!.state).toBe('interrupted');
    expect((await timelineOf(h.db, key)).find((e) => e.kind === 'action.interrupted')?.data).toMatchObject({
      started: false,
    });
    const said = await until(() =>
      h.slack.thread(channel, ts).find((m) => m.text === 'Roll back Redis connection logic: interrupted'),
    );
    expect(JSON.stringify(said.blocks)).toContain('so nothing ran');
    await h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.redis-rollback' });
    await h.settle();
    expect(await readFile(join(dir, 'redis-rollback'), 'utf8')).toBe(key);
  });
});
