import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Coordinator } from '../../src/coord/coordinator.js';
import { InProcessCoordinator } from '../../src/coord/memory.js';
import { type Metrics, createMetrics } from '../../src/http/metrics.js';
import { silentLogger } from '../../src/log.js';
import { SEED, SlackEmulator } from '../../src/playground/emulator/index.js';
import { pacedSlackFetch } from '../../src/slack/fetch.js';
import { SlackLimiter } from '../../src/slack/limiter.js';
import { type PaceTable, SLACK_PACE } from '../../src/slack/limits.js';
import { type SlackPriority, withSlackPriority } from '../../src/slackApi/priority.js';
import { uniqueName } from '../support/env.js';
import { testCoordinator } from '../support/redis.js';
import { until } from '../support/wait.js';

/** Fast buckets, so a test spends a few seconds, not minutes: Tier 2 at 2 a second, one workspace post a second. */
const PACE: PaceTable = {
  ...SLACK_PACE,
  // One call of burst less than Slack's below, as the shipped table keeps.
  tiers: { ...SLACK_PACE.tiers, 2: { perMinute: 114, burst: 3 } },
  postsPerWorkspace: { perMinute: 60, burst: 1 },
};

let slack: SlackEmulator;
const coords: Coordinator[] = [];
const limiters: SlackLimiter[] = [];

beforeEach(async () => {
  // Slack keeps the same Tier 2: 2 a second with a burst of 4.
  slack = await SlackEmulator.start({ rateLimits: { tiers: { 2: { perMinute: 120, burst: 4 } } } });
});
afterEach(async () => {
  for (const limiter of limiters.splice(0)) limiter.close();
  await Promise.all(coords.splice(0).map((c) => c.close()));
  await slack.close();
});

/** A replica's Web API client: paced by its own limiter over the given coordinator. */
function replica(coord: Coordinator, metrics?: Metrics, timeoutMs?: number): WebClient {
  coords.push(coord);
  const limiter = new SlackLimiter({ coord, log: silentLogger, pace: PACE });
  limiters.push(limiter);
  if (metrics) metrics.limiter.read = () => limiter.snapshot();
  return new WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    maxRequestConcurrency: 1_000,
    ...(timeoutMs ? { timeout: timeoutMs } : {}),
    fetch: pacedSlackFetch(limiter, metrics, timeoutMs),
  });
}

const create = (client: WebClient, name: string) =>
  client.conversations.create({ name }).then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? 'error',
  );

describe('the Slack limiter in front of every Web API call', () => {
  it('keeps two replicas sharing it through Redis under a tier: no call is refused', async () => {
    const prefix = `${uniqueName('ib')}:`;
    const shared = [testCoordinator(prefix), testCoordinator(prefix)];
    // Until its connection is up each counts alone (the limiter's insurance): wait for Redis, as a bot starting does.
    await until(async () => (await Promise.all(shared.map((c) => c.ping()))).every(Boolean));
    const [one, two] = shared.map((c) => replica(c)) as [WebClient, WebClient];
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => create(i % 2 ? one : two, `storm-shared-${i}`)),
    );
    expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);
    expect(slack.callsTo('conversations.create').every((c) => c.status === 200)).toBe(true);
    expect(slack.callsTo('conversations.create')).toHaveLength(12);
  });

  it('cannot keep replicas under a tier when each counts alone (what sharing prevents)', async () => {
    const [one, two] = [replica(new InProcessCoordinator()), replica(new InProcessCoordinator())];
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => create(i % 2 ? one : two, `storm-alone-${i}`)),
    );
    expect(outcomes).toContain('slack_webapi_rate_limited_error');
  });

  it('sends a page before the stakeholder updates queued ahead of it', async () => {
    const client = replica(new InProcessCoordinator());
    const post = (priority: SlackPriority, channel: string, text: string) =>
      withSlackPriority(priority, () => client.chat.postMessage({ channel, text }));
    const { stakeholders, support, engineering, incidents } = SEED.channels;
    for (const channel of [stakeholders, support, engineering, incidents]) await client.conversations.join({ channel });
    // One post a second in the workspace: the first update goes at once, the rest wait, then the page comes.
    const updates = [stakeholders, support, engineering].map((c, i) => post('stakeholder', c, `update ${i}`));
    await slack.waitForCall((c) => c.method === 'chat.postMessage');
    const page = post('page', incidents, 'paging level 1');
    await Promise.all([...updates, page]);
    const order = slack.callsTo('chat.postMessage').map((c) => c.params.text);
    expect(order).toEqual(['update 0', 'paging level 1', 'update 1', 'update 2']);
  });
  it("sends a call that waited its turn longer than the client's timeout (its timeout starts when it is sent)", async () => {
    // A one-second timeout; Tier 2 lets 3 through, then one about every half second: the eighth waits 2.6 s.
    const client = replica(new InProcessCoordinator(), undefined, 1_000);
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => create(client, `patient-${i}`)));
    expect(outcomes).toEqual(Array<string>(8).fill('ok'));
    expect(slack.callsTo('conversations.create')).toHaveLength(8);
  });

  it('turns the calls still waiting away when the replica stops, as Slack answers a call over its limit', async () => {
    const coord = new InProcessCoordinator();
    const client = replica(coord);
    // Tier 2 lets 3 through at once; the other 5 wait for the bucket when the replica stops.
    const outcomes = Array.from({ length: 8 }, (_, i) => create(client, `stopping-${i}`));
    await until(() => slack.callsTo('conversations.create').length === 3);
    limiters.at(-1)!.close();
    expect(await Promise.all(outcomes)).toEqual([
      ...Array<string>(3).fill('ok'),
      ...Array<string>(5).fill('slack_webapi_rate_limited_error'),
    ]);
    // Turned away here, never sent: Slack saw only the three, and a call after the stop is turned away at once.
    expect(await create(client, 'after-stop')).toBe('slack_webapi_rate_limited_error');
    expect(slack.callsTo('conversations.create')).toHaveLength(3);
  });

  it("sends a new incident's first page before the escalation pages queued ahead of it", async () => {
    const client = replica(new InProcessCoordinator());
    const post = (priority: SlackPriority, channel: string, text: string) =>
      withSlackPriority(priority, () => client.chat.postMessage({ channel, text }));
    const { support, engineering, incidents } = SEED.channels;
    for (const channel of [support, engineering, incidents]) await client.conversations.join({ channel });
    const escalations = [support, engineering].map((c, i) => post('page', c, `level 2, incident ${i}`));
    await slack.waitForCall((c) => c.method === 'chat.postMessage');
    const first = post('first-page', incidents, 'level 1, a new incident');
    await Promise.all([...escalations, first]);
    const order = slack.callsTo('chat.postMessage').map((c) => c.params.text);
    expect(order).toEqual(['level 2, incident 0', 'level 1, a new incident', 'level 2, incident 1']);
  });
});

describe('the Slack limiter on /metrics', () => {
  const sample = async (metrics: Metrics, name: string, labels: Record<string, string> = {}) => {
    const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => name.startsWith(m.name));
    const values = (metric?.values ?? []) as Array<{
      value: number;
      labels: Record<string, unknown>;
      metricName?: string;
    }>;
    return values
      .filter((v) => (v.metricName ?? metric?.name) === name)
      .find((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))?.value;
  };

  it('shows what waits by method and priority, the oldest waiting page, the waits and the 429s by method', async () => {
    const metrics = createMetrics();
    const client = replica(new InProcessCoordinator(), metrics);
    const { incidents, support } = SEED.channels;
    for (const channel of [incidents, support]) await client.conversations.join({ channel });
    const post = (priority: SlackPriority, channel: string, text: string) =>
      withSlackPriority(priority, () => client.chat.postMessage({ channel, text }));
    // One post a second in the workspace: the first goes, two updates and a page wait.
    const sent = [post('stakeholder', support, 'u0'), post('stakeholder', support, 'u1')];
    sent.push(post('stakeholder', support, 'u2'), post('page', incidents, 'paging'));
    await until(async () => (await sample(metrics, 'incidentbot_slack_oldest_unsent_page_seconds')) !== 0);
    expect(
      await sample(metrics, 'incidentbot_slack_limiter_queued', {
        method: 'chat.postMessage',
        priority: 'stakeholder',
      }),
    ).toBe(2);
    expect(await sample(metrics, 'incidentbot_slack_limiter_queued', { priority: 'page' })).toBe(1);
    await Promise.all(sent);
    expect(await sample(metrics, 'incidentbot_slack_oldest_unsent_page_seconds')).toBe(0);
    expect(
      await sample(metrics, 'incidentbot_slack_limiter_wait_seconds_count', {
        method: 'chat.postMessage',
        priority: 'page',
      }),
    ).toBe(1);

    slack.failMethod('conversations.info', { status: 'ratelimited', retryAfterSeconds: 30, times: 1 });
    await expect(client.conversations.info({ channel: incidents })).rejects.toMatchObject({ retryAfter: 30 });
    expect(
      await sample(metrics, 'incidentbot_slack_api_calls_total', {
        method: 'conversations.info',
        outcome: 'ratelimited',
      }),
    ).toBe(1);
  });
});
