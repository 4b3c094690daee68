import { join } from 'node:path';
import { pino } from 'pino';
import { openIncident } from '../../src/app/openIncident.js';
import { type RunningBot, startBot } from '../../src/bot.js';
import { ManualClock } from '../../src/clock.js';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import type { Coordinator } from '../../src/coord/coordinator.js';
import { createLogger } from '../../src/log.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import { SlackEmulator } from '../../src/playground/emulator/index.js';
import { SLACK_PACE } from '../../src/slack/limits.js';
import { slackBound } from './stormFigures.js';
import { levelClockWork } from '../../src/app/work/escalation.js';
import { getIncident } from '../../src/store/incidents.js';
import { scheduleWork } from '../../src/store/work.js';
import { type Database, retryingDeadlocks } from '../../src/store/db.js';
import type { BenchContext } from '../support/context.js';
import { coordinator, createDatabase, redisPrefix } from '../support/env.js';
import { type ScenarioOutcome, exactly, reported, round } from '../support/figures.js';
import { ADA, INCIDENTS_CHANNEL, PLAYBOOKS_DIR } from '../support/stack.js';
import { forBench } from '../support/exampleConfig.js';
import { muteConsole } from '../support/replicas.js';

const MINUTE = 60_000;

interface PagePayload {
  level: number;
  cycle: number;
  because: string;
}

/**
 * 1,000 incidents (opened through the app's openIncident: channel, live
 * message, clocks) whose level-1 acknowledgement clock runs out at the same
 * moment, drained by two bot instances (their DueWorkers with the real
 * handlers, one pool each, same database and Redis, same Slack): each
 * incident must escalate exactly once; the figure beside it is how long the
 * two take to drain everything that fell due (escalations, the pages and
 * status updates they schedule, live-message renders).
 */
export async function escalationScenario(ctx: BenchContext): Promise<ScenarioOutcome> {
  const unlimited = await drainEscalations(ctx, ctx.quick ? 50 : 1_000, false);
  // With Slack's limits on, fewer: 1,000 live-message updates alone would take 20 minutes at Tier 3's 50 a minute.
  const limited = await drainEscalations(ctx, ctx.quick ? 10 : 50, true);
  return {
    figures: [...unlimited.figures, ...limited.figures],
    details: [...unlimited.details, "with Slack's limits on (emulator) and the bots pacing:", ...limited.details],
  };
}

async function drainEscalations(ctx: BenchContext, count: number, limited: boolean): Promise<ScenarioOutcome> {
  const database = await createDatabase(ctx.env, limited ? 'escalations_limited' : 'escalations');
  const emulator = await SlackEmulator.start();
  const clock = new ManualClock(new Date());
  const log = createLogger({
    level: 'warn',
    format: 'json',
    destination: pino.destination({ dest: join(ctx.logDir, 'bots-escalations.log'), sync: true }),
  });
  const config = forBench((await loadConfigFile(exampleConfigPath, {}, { isExample: true })).config);
  const { playbooks } = await loadPlaybooks(PLAYBOOKS_DIR);
  // The bot's own Web API client for durable work has no logger and writes Slack's warnings to the console: keep
  // them in the log.
  const consoleLines = muteConsole(join(ctx.logDir, 'bots-escalations.console.log'));
  const coords: Coordinator[] = [];
  const dbs: Database[] = [];
  const bots: RunningBot[] = [];
  try {
    const prefix = redisPrefix(ctx.env, limited ? 'escalations-limited' : 'escalations');
    const startPair = async (paced: boolean) => {
      for (let i = 0; i < 2; i++) {
        if (coords.length < 2) {
          coords.push(ctx.env.redisUrl || coords.length === 0 ? await coordinator(ctx.env, prefix) : coords[0]!);
          dbs.push(await database.connect(10));
        }
        const [coord, db] = [coords[i]!, dbs[i]!];
        bots.push(
          await startBot({
            env: {
              PORT: 0,
              slack: {
                mode: 'http',
                botToken: emulator.botToken,
                signingSecret: emulator.signingSecret,
                apiUrl: emulator.apiUrl,
              },
            },
            config,
            playbooks,
            db,
            coord,
            clock,
            log,
            host: '127.0.0.1',
            scheduler: false,
            ...(paced ? { slackPace: SLACK_PACE } : {}),
          }),
        );
      }
      emulator.connectBot(`${bots[0]!.url}/slack/events`);
    };
    // Opened unpaced (placing 100 incidents at Tier 2 would take minutes); with limits, paced bots drain.
    await startPair(false);
    const drain = async () => {
      for (let round = 0; ; round++) {
        const ran = await Promise.all(bots.map((b) => b.worker!.tick()));
        await Promise.all(bots.map((b) => b.deps!.live.idle()));
        if (ran.every((n) => n === 0)) return round;
        if (round > 200) throw new Error('the workers did not drain after 200 rounds');
      }
    };

    const openStarted = performance.now();
    for (let i = 0; i < count; i += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, count - i) }, (_, j) =>
          openIncident(
            bots[(i + j) % 2]!.deps!,
            { playbook: 'auth-401', summary: `escalation benchmark ${i + j}`, channelId: INCIDENTS_CHANNEL },
            { user: ADA },
          ),
        ),
      );
    }
    await Promise.all(bots.map((b) => b.deps!.live.idle()));
    // Setup, to keep the run short: what fell due at opening (level-1 pages, "opened" updates) is marked
    // done unsent; the escalations and everything they bring are what the drain below measures. A level's
    // clock starts when its page goes out: each unsent page starts its clock here, as sending it would.
    const { rows: unsent } = await dbs[0]!.query<{ incident_id: string; due_at: Date; payload: PagePayload }>(
      `SELECT incident_id, due_at, payload FROM scheduled_work WHERE kind = 'page' AND done_at IS NULL AND due_at <= $1`,
      [clock.now()],
    );
    for (const page of unsent) {
      const incident = (await getIncident(dbs[0]!, Number(page.incident_id)))!;
      const { level, cycle, because } = page.payload;
      await scheduleWork(dbs[0]!, levelClockWork(incident, level, cycle, because, page.due_at), clock.now());
    }
    // The bots may still be writing these rows (a stakeholder digest): a deadlock is run again.
    const { rowCount: skipped } = await retryingDeadlocks(dbs[0]!, (tx) =>
      tx.query(
        `UPDATE scheduled_work SET done_at = $1, outcome = 'benchmark setup: not sent' WHERE done_at IS NULL AND due_at <= $1`,
        [clock.now()],
      ),
    );
    ctx.progress(
      `${count} incidents opened in ${((performance.now() - openStarted) / 1000).toFixed(1)} s (${skipped} items due at opening skipped)`,
    );

    clock.advance(16 * MINUTE); // past every level-1 acknowledgement clock (15 minutes)
    if (limited) {
      await Promise.all(bots.splice(0).map((b) => b.stop()));
      await startPair(true);
      emulator.setRateLimits(true);
    }
    const firstCall = emulator.calls.length;
    const started = performance.now();
    const rounds = await drain();
    const drainS = (performance.now() - started) / 1000;

    const { rows } = await dbs[0]!.query<{ escalated: number; level: number }>(
      `SELECT i.escalation_level AS level, count(e.id) FILTER (WHERE e.kind = 'incident.escalated')::int AS escalated
         FROM incidents i LEFT JOIN timeline_events e ON e.incident_id = i.id GROUP BY i.id, i.escalation_level`,
    );
    const { rows: left } = await dbs[0]!.query<{ n: number; what: string | null }>(
      `SELECT count(*)::int AS n,
              string_agg(DISTINCT kind || coalesce(' (' || outcome || ')', '')
                || CASE WHEN payload->>'thread' = 'stakeholder' THEN ' stakeholder update' ELSE '' END, ', ') AS what
         FROM scheduled_work WHERE done_at IS NULL AND due_at <= $1`,
      [clock.now()],
    );
    const leftDue = `${left[0]?.n ?? 0} due items left${left[0]?.what ? ` (${left[0].what})` : ''}`;
    const twice = rows.filter((r) => r.escalated > 1).length;
    const never = rows.filter((r) => r.escalated === 0).length;
    const pages = emulator.callsTo('chat.postMessage').length;
    const during = emulator.calls.slice(firstCall);
    const refused = during.filter((c) => c.status === 429).length;
    if (limited) {
      const bound = slackBound(emulator, during);
      return {
        figures: [reported('escalation_drain_limited_s', round(drainS, 2), 's')],
        details: [
          `${count} incidents due at once: ${twice} escalated more than once, ${never} never; ${leftDue}`,
          `drained in ${round(drainS, 2)} s; Slack's limits allow its ${during.length} calls in ${round(bound.seconds, 1)} s ` +
            `at best (bound by ${bound.key}); ${refused} answered 429`,
        ],
      };
    }
    const figure = exactly('escalations_fired_twice', twice + never, 'incidents', 0);
    const once = rows.length - twice - never;
    const escalated = `${once} escalated exactly once, ${twice} more than once, ${never} never (the figure counts both)`;
    const pace = `${rounds} rounds; ${Math.round(count / drainS)} escalations/s with their pages and updates`;
    const sent = `${pages} chat.postMessage calls in all; ${consoleLines.count} console lines from the bots' Slack client`;
    return {
      figures: [figure, reported('escalation_drain_s', round(drainS, 2), 's')],
      details: [
        `${rows.length} incidents due at once, two workers: ${escalated}; ${leftDue}`,
        `drained in ${round(drainS, 2)} s by both instances in this one process (${pace}); ${sent}`,
      ],
    };
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    await Promise.all([...new Set(coords)].map((c) => c.close()));
    await emulator.close();
    await database.drop();
    consoleLines.restore();
  }
}
