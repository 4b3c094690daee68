import { join } from 'node:path';
import { openIncident } from '../../src/app/openIncident.js';
import { systemClock } from '../../src/clock.js';
import type { EscalationLevel } from '../../src/config/escalation.js';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import { SlackEmulator } from '../../src/playground/emulator/index.js';
import { SLACK_PACE } from '../../src/slack/limits.js';
import type { Database } from '../../src/store/db.js';
import type { BenchContext } from '../support/context.js';
import { createDatabase } from '../support/env.js';
import { type ScenarioOutcome, atLeast, atMost, exactly, round } from '../support/figures.js';
import { muteConsole, startReplicas } from '../support/replicas.js';
import { ADA, INCIDENTS_CHANNEL, PLAYBOOKS_DIR } from '../support/stack.js';
import { stormFigures } from './stormFigures.js';
import { forBench } from '../support/exampleConfig.js';

const ALERT_TOKEN = 'storm-bench-alertmanager-token-0123456789abcdef';
/** Alert names the example config routes, each to its playbook. */
const ALERT_NAMES = [
  'HighErrorRate',
  'HighResponseTime',
  'HighMemoryUsage',
  'HighCPUUsage',
  'ServiceDown',
  'RedisDown',
];

/**
 * An alert storm on two replicas, with Slack's limits on in the emulator: 500
 * alerts in 25 Alertmanager groups arriving over 60 s (each sent to one of the
 * two replicas in turn), while 10 escalations fall due per second for the same
 * 60 s (incidents opened beforehand, with the limits off, so setting up does
 * not wait on them). Then it waits for the bots to send everything that fell
 * due, and reads the figures from the emulator's calls and the database
 * (stormFigures.ts). `--quick`: 50 alerts in 5 groups over 6 s, 2 escalations
 * a second.
 */
export async function stormScenario(ctx: BenchContext): Promise<ScenarioOutcome> {
  const size = ctx.quick
    ? { alerts: 50, groups: 5, seconds: 6, escalationsPerSecond: 2, settleMs: 60_000 }
    : { alerts: 500, groups: 25, seconds: 60, escalationsPerSecond: 10, settleMs: 1_800_000 };
  const database = await createDatabase(ctx.env, 'storm');
  const emulator = await SlackEmulator.start();
  const { config: example } = await loadConfigFile(
    exampleConfigPath,
    { ALERTMANAGER_TOKEN: ALERT_TOKEN },
    { isExample: true },
  );
  // One incident per group, as the scenario means: the example's cap on incidents from alerts (5 per 10 minutes)
  // would fold 20 of the 25 groups into the newest and the storm channel would never be reached.
  const config = forBench({
    ...example,
    alerts: { ...example.alerts, max_new_incidents: size.groups },
    escalation: { ...example.escalation, policies: laterLevelsWaiting(example.escalation.policies) },
  });
  const { playbooks } = await loadPlaybooks(PLAYBOOKS_DIR);
  const consoleLines = muteConsole(join(ctx.logDir, 'bots-storm.console.log'));
  const start = (paced: boolean) =>
    startReplicas(ctx, {
      name: 'storm',
      count: 2,
      database,
      emulator,
      // The storm meets the example's storm channel: beyond its channels a minute, incidents open in its threads.
      // Set up without stakeholder pacing either: 600 "opened" updates a channel would wait for 30 digest slots.
      config: paced
        ? { ...config, storm: example.storm }
        : { ...config, stakeholders: { ...config.stakeholders, min_interval: 0 } },
      playbooks,
      clock: systemClock,
      scheduler: true,
      ...(paced ? { slackPace: SLACK_PACE } : {}),
    });
  // Set up unpaced (600 incidents placed at Tier 2's pace would take half an hour); the storm meets paced replicas.
  let replicas = await start(false).catch(async (error: unknown) => {
    consoleLines.restore();
    await emulator.close();
    await database.drop();
    throw error;
  });
  let { bots } = replicas;
  const db = await database.connect(2);
  try {
    emulator.connectBot(`${bots[0]!.url}/slack/events`);
    // Setup, limits off: the incidents whose level-1 clocks run out during the storm.
    const escalations = size.escalationsPerSecond * size.seconds;
    const setupStarted = performance.now();
    for (let i = 0; i < escalations; i += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, escalations - i) }, (_, j) =>
          openIncident(
            bots[(i + j) % 2]!.deps!,
            { playbook: 'auth-401', summary: `storm benchmark escalation ${i + j}`, channelId: INCIDENTS_CHANNEL },
            { user: ADA },
          ),
        ),
      );
    }
    await waitForNothingDue(db, 300_000);
    // Opened beforehand, as the scenario means them: not in the minute the storm rule counts (work/storm.ts).
    await db.query(`UPDATE incidents SET opened_at = opened_at - interval '10 minutes'`);
    ctx.progress(
      `${escalations} incidents opened and placed in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
    );

    await replicas.close();
    replicas = await start(true);
    bots = replicas.bots;
    emulator.connectBot(`${bots[0]!.url}/slack/events`);
    emulator.setRateLimits(true);
    const firstCall = emulator.calls.length;
    const started = Date.now();
    // Their acknowledgement clocks run out one after the other, escalationsPerSecond a second from now.
    await db.query(
      `UPDATE scheduled_work w SET due_at = $1::timestamptz + (r.n * $2::double precision) * interval '1 millisecond'
         FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM scheduled_work
                WHERE kind = 'escalate' AND done_at IS NULL) r
        WHERE w.id = r.id`,
      [new Date(started), 1_000 / size.escalationsPerSecond],
    );
    const alertsSent = await sendAlerts(
      bots.map((b) => b.url),
      size,
      started,
    );
    ctx.progress(`${size.alerts} alerts sent in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const settled = await waitForNothingDue(db, size.settleMs);
    const endedAt = Date.now();
    // Renders still waiting for Slack's Tier 3 after giving up would hold the figures for minutes: wait 10 s at most.
    const idle = Promise.all(bots.map((b) => b.deps!.live.idle()));
    await (settled ? idle : Promise.race([idle, new Promise((resolve) => setTimeout(resolve, 10_000))]));
    ctx.progress(
      settled
        ? `everything due was sent ${((endedAt - started) / 1000).toFixed(1)} s after the storm began`
        : `work still due after ${size.settleMs / 1000} s: given up waiting`,
    );
    const figures = await stormFigures({
      db,
      emulator,
      calls: emulator.calls.slice(firstCall),
      alertsSent,
      startedAt: started,
      stakeholderChannels: Object.values(config.stakeholders.groups).flatMap((g) => g.channels),
    });
    return {
      figures: [
        exactly('storm_incidents_opened', figures.incidentsOpened, 'incidents', size.groups),
        atMost('storm_page_p95_s', round(figures.pageP95S, 2), 's', 5),
        atMost('storm_429_ratio', round(figures.ratio429, 4), '', 0.01),
        exactly('storm_lost', figures.lost, '', 0),
        atLeast('storm_drain_vs_bound', round(figures.drainVsBound, 2), '×', 0.8),
        atMost('stakeholder_posts_per_channel_per_min', figures.stakeholderPostsPerMin, 'posts', 6),
      ],
      details: [
        ...figures.details,
        `${consoleLines.count} console lines from the bots' Slack clients; ${settled ? 'settled' : 'NOT settled'}`,
      ],
    };
  } finally {
    await replicas.close();
    await emulator.close();
    await database.drop();
    consoleLines.restore();
  }
}

/**
 * The storm's escalations are its level-1 clocks running out. At full size Slack's limits (Tier 3's 50 chat.update a
 * minute for 600 live messages) take longer than level 2's 15 minutes, and the level-3 pages that would then fall due
 * are not the storm's: the later levels wait two hours here.
 */
function laterLevelsWaiting(policies: Config['escalation']['policies']): Config['escalation']['policies'] {
  const waiting = (level: EscalationLevel, i: number): EscalationLevel =>
    i === 0 || level.acknowledged_within === undefined ? level : { ...level, acknowledged_within: 2 * 3_600_000 };
  return Object.fromEntries(
    Object.entries(policies).map(([name, policy]) => [name, { ...policy, levels: policy.levels.map(waiting) }]),
  );
}

interface StormSize {
  alerts: number;
  groups: number;
  seconds: number;
}

export interface SentAlert {
  fingerprint: string;
  group: string;
  sentAt: number;
}

/** Alert i of group i % groups, evenly over the storm, to the replicas in turn; each an Alertmanager webhook. */
async function sendAlerts(urls: string[], size: StormSize, started: number): Promise<SentAlert[]> {
  const sent: SentAlert[] = [];
  const posts: Promise<void>[] = [];
  const every = (size.seconds * 1_000) / size.alerts;
  for (let i = 0; i < size.alerts; i++) {
    const wait = started + i * every - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const group = `storm-${i % size.groups}`;
    const alertname = ALERT_NAMES[(i % size.groups) % ALERT_NAMES.length]!;
    const fingerprint = `storm${i.toString(16).padStart(8, '0')}`;
    const body = {
      version: '4',
      status: 'firing',
      receiver: 'incident-bot',
      groupKey: `{}:{group="${group}"}`,
      commonLabels: { alertname, group },
      alerts: [
        {
          status: 'firing',
          labels: { alertname, group, instance: `host-${i}` },
          annotations: { summary: `${alertname} on host-${i}` },
          startsAt: new Date(started).toISOString(),
          fingerprint,
        },
      ],
    };
    sent.push({ fingerprint, group, sentAt: Date.now() });
    posts.push(postAlert(`${urls[i % urls.length]}/hooks/alertmanager`, body));
  }
  await Promise.all(posts);
  return sent;
}

/** Posts until the bot answers 200 (Alertmanager sends a batch again after a 5xx). */
async function postAlert(url: string, body: unknown): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${ALERT_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).catch(() => undefined);
    await res?.arrayBuffer();
    if (res?.ok) return;
    if (attempt >= 10) throw new Error(`the alert hook answered ${res?.status ?? 'nothing'} 10 times`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/**
 * Waits until no scheduled work is due and undone, nor waiting to be tried again (a 429, a failure), (true), or
 * the time is up (false).
 */
async function waitForNothingDue(db: Database, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    // A stormed incident's move to its own channel waits, on purpose, for the storm to pass: not something due.
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM scheduled_work
        WHERE done_at IS NULL AND (due_at <= now() OR outcome IS NOT NULL) AND kind <> 'storm.move'`,
    );
    if ((rows[0]?.n ?? 0) === 0) return true;
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
