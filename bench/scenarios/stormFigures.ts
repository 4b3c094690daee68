import type { SlackEmulator } from '../../src/playground/emulator/index.js';
import { limitKeysFor } from '../../src/playground/emulator/rateLimits.js';
import type { RecordedCall } from '../../src/playground/emulator/state.js';
import type { Database } from '../../src/store/db.js';
import { round } from '../support/figures.js';
import type { SentAlert } from './storm.js';

export interface StormFigures {
  incidentsOpened: number;
  pageP95S: number;
  ratio429: number;
  lost: number;
  drainVsBound: number;
  stakeholderPostsPerMin: number;
  details: string[];
}

const keyOf = (call: RecordedCall): string | undefined => {
  const metadata = call.params.metadata as { event_payload?: { key?: unknown } } | undefined;
  return typeof metadata?.event_payload?.key === 'string' ? metadata.event_payload.key : undefined;
};

/** What the storm left: read from the calls the emulator received during it and from the database. */
export async function stormFigures(input: {
  db: Database;
  emulator: SlackEmulator;
  calls: RecordedCall[];
  alertsSent: SentAlert[];
  startedAt: number;
  stakeholderChannels: string[];
}): Promise<StormFigures> {
  const { db, calls, alertsSent, startedAt } = input;
  const posted = calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200);
  const answered = calls.filter((c) => c.status === 200);
  const refused = calls.filter((c) => c.status === 429);

  // Incidents the storm opened, and how soon after its group's first alert each had its first page.
  const { rows: opened } = await db.query<{ incident_id: string; group_key: string }>(
    `SELECT incident_id, group_key FROM alert_groups WHERE opened`,
  );
  const firstAlert = new Map<string, number>();
  const { rows: links } = await db.query<{ fingerprint: string; incident_id: string }>(
    `SELECT fingerprint, incident_id FROM alert_incidents`,
  );
  const incidentOf = new Map(links.map((l) => [l.fingerprint, l.incident_id]));
  for (const alert of alertsSent) {
    const incident = incidentOf.get(alert.fingerprint);
    if (incident && !firstAlert.has(incident)) firstAlert.set(incident, alert.sentAt);
  }
  const { rows: pageWork } = await db.query<{ id: string; incident_id: string }>(
    `SELECT id, incident_id FROM scheduled_work WHERE kind = 'deliver' AND dedupe_key LIKE 'page:%'`,
  );
  const pageIncident = new Map(pageWork.map((w) => [`work-${w.id}`, w.incident_id]));
  const firstPage = new Map<string, number>();
  for (const call of posted) {
    const incident = pageIncident.get(keyOf(call) ?? '');
    if (incident && !firstPage.has(incident)) firstPage.set(incident, call.at.getTime());
  }
  // A page carried in another page's DM digest has no call of its own: it went out when its item was completed.
  const { rows: carried } = await db.query<{ incident_id: string; at: Date }>(
    `SELECT incident_id, min(done_at) AS at FROM scheduled_work
      WHERE kind = 'deliver' AND dedupe_key LIKE 'page:%' AND outcome LIKE 'delivered in a digest%'
      GROUP BY incident_id`,
  );
  for (const { incident_id: incident, at } of carried) {
    const when = new Date(at).getTime();
    if (when < (firstPage.get(incident) ?? Infinity)) firstPage.set(incident, when);
  }
  // A loop, not Math.max(...calls): a full-size storm records more calls than a function takes arguments.
  const end = calls.reduce((latest, c) => Math.max(latest, c.at.getTime()), Date.now());
  let unpaged = 0;
  const pageWaits = opened
    .map((o) => {
      const alertAt = firstAlert.get(o.incident_id) ?? startedAt;
      const pageAt = firstPage.get(o.incident_id);
      if (pageAt === undefined) unpaged++;
      // Never paged: counted as the whole wait until now, a bound below the truth.
      return ((pageAt ?? end) - alertAt) / 1_000;
    })
    .sort((a, b) => a - b);
  const pageP95S = pageWaits.length
    ? pageWaits[Math.min(pageWaits.length - 1, Math.ceil(pageWaits.length * 0.95) - 1)]!
    : NaN;

  // Lost: alerts in no incident's timeline, and deliveries never made (undone, or failed for good).
  const unlinked = alertsSent.filter((a) => !incidentOf.has(a.fingerprint)).length;
  const { rows: undelivered } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM scheduled_work
      WHERE kind = 'deliver' AND created_at >= $1 AND (done_at IS NULL OR outcome LIKE 'failed%')`,
    [new Date(startedAt)],
  );
  const lost = unlinked + (undelivered[0]?.n ?? 0);

  // The shortest time Slack's limits allow for the calls the bot made (answered ones), against the time it took.
  // Stakeholder posts are held back on purpose (stakeholders.min_interval: at most 6 a minute a channel, a figure of
  // their own), so they are left out: the drain is of every other call, which the bot sends as fast as Slack allows.
  const { rows: updateWork } = await db.query<{ id: string }>(
    `SELECT id FROM scheduled_work WHERE kind = 'deliver' AND payload->>'thread' = 'stakeholder'`,
  );
  const updateKeys = new Set(updateWork.map((w) => `work-${w.id}`));
  const drained = answered.filter((c) => {
    const key = keyOf(c) ?? '';
    return !updateKeys.has(key) && !key.startsWith('digest-');
  });
  const { seconds: boundS, key: boundKey } = slackBound(input.emulator, drained);
  const lastCall = drained.length ? drained.at(-1)!.at.getTime() : startedAt;
  const tookS = Math.max(0.001, (lastCall - startedAt) / 1_000);
  const drainVsBound = boundS / tookS;

  // Stakeholder posts: the busiest minute of the busiest channel.
  const stakeholder = new Set(input.stakeholderChannels);
  let busiest = 0;
  let busiestChannel = 'none';
  for (const channel of stakeholder) {
    const times = posted
      .filter((c) => c.params.channel === channel)
      .map((c) => c.at.getTime())
      .sort((a, b) => a - b);
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 60_000) j++;
      if (i - j + 1 > busiest) [busiest, busiestChannel] = [i - j + 1, channel];
    }
  }
  const { rows: stormed } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM timeline_events
      WHERE kind = 'incident.placed' AND (data->>'storm')::boolean AND occurred_at >= $1`,
    [new Date(startedAt)],
  );
  const { rows: placedAfter } = await db.query<{ ms: number }>(
    `SELECT (data->>'afterMs')::float AS ms FROM timeline_events
      WHERE kind = 'incident.placed' AND incident_id = ANY($1::bigint[]) ORDER BY 1`,
    [opened.map((o) => o.incident_id)],
  );
  const placedS = placedAfter.map((r) => r.ms / 1_000);
  const byMethod = new Map<string, number>();
  for (const call of refused) {
    const where = call.method === 'chat.postMessage' ? ` in ${String(call.params.channel)}` : '';
    byMethod.set(call.method + where, (byMethod.get(call.method + where) ?? 0) + 1);
  }
  const refusals = [...byMethod].map(([m, n]) => `${m} ${n}`).join(', ') || 'none';
  return {
    incidentsOpened: opened.length,
    pageP95S,
    ratio429: calls.length ? refused.length / calls.length : 0,
    lost,
    drainVsBound,
    stakeholderPostsPerMin: busiest,
    details: [
      `${calls.length} Web API calls during the storm, ${refused.length} answered 429 (${refusals})`,
      `${opened.length} incidents opened from ${alertsSent.length} alerts; ${unpaged} never paged; ` +
        `page waits p50 ${round(pageWaits[Math.floor(pageWaits.length / 2)] ?? NaN, 1)} s, max ${round(pageWaits.at(-1) ?? NaN, 1)} s`,
      `placed (channel and live message) after they opened: ` +
        `p50 ${round(placedS[Math.floor(placedS.length / 2)] ?? NaN, 1)} s, max ${round(placedS.at(-1) ?? NaN, 1)} s`,
      `${stormed[0]?.n ?? 0} of them opened as threads of the storm channel (conversations.create kept for the rest)`,
      `lost: ${unlinked} alerts in no timeline, ${undelivered[0]?.n ?? 0} deliveries undone or given up`,
      `Slack's limits allow the calls made in ${round(boundS, 1)} s at best (bound by ${boundKey}); ` +
        `the bot took ${round(tookS, 1)} s from the storm's start to its last answered call ` +
        `(stakeholder posts, paced on purpose, left out of both)`,
      `busiest stakeholder channel ${busiestChannel}: ${busiest} posts in one minute`,
    ],
  };
}

/**
 * The shortest time Slack's limits (the emulator's table) allow for these calls: the busiest bucket's calls beyond
 * its burst, at its rate.
 */
export function slackBound(emulator: SlackEmulator, calls: readonly RecordedCall[]): { seconds: number; key: string } {
  const table = emulator.rateLimits;
  let bound = { seconds: 0, key: 'none' };
  if (!table) return bound;
  const counts = new Map<string, { n: number; perMinute: number; burst: number }>();
  for (const call of calls) {
    if (call.status !== 200) continue;
    for (const { key, bucket } of limitKeysFor(table, call.method, call.params)) {
      const entry = counts.get(key) ?? { n: 0, ...bucket };
      entry.n++;
      counts.set(key, entry);
    }
  }
  for (const [key, { n, perMinute, burst }] of counts) {
    const seconds = (Math.max(0, n - burst) / perMinute) * 60;
    if (seconds > bound.seconds) bound = { seconds, key };
  }
  return bound;
}
