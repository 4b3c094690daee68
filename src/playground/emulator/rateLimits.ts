import { SLACK_DEFAULT_TIER, SLACK_METHOD_TIERS } from '../../slackApi/methodTiers.js';

/**
 * Slack's rate limits, as the emulator enforces them: one token bucket per
 * limit key (a method's tier in the workspace; for chat.postMessage also the
 * channel and the workspace's posting ceiling), refilled at the published rate,
 * holding a small burst. A call with no token left in one of its buckets is
 * answered as Slack answers it: HTTP 429, `Retry-After` (whole seconds until
 * a token is back), `{ ok: false, error: 'ratelimited' }`; a refused call
 * spends nothing.
 *
 * Off unless asked (`SlackEmulator.start({ rateLimits: true })`, or
 * `setRateLimits`): tests that are not about limits are not paced by them. The
 * bench and the playground turn them on.
 */

/** A limit: so many calls a minute on average, at most `burst` at once. */
export interface Bucket {
  perMinute: number;
  burst: number;
}

export type Tier = 1 | 2 | 3 | 4;

export interface RateLimitTable {
  tiers: Record<Tier, Bucket>;
  /** Each method's tier; `posts` is chat.postMessage's own limit (per channel, and the workspace ceiling). */
  methods: Record<string, Tier | 'posts'>;
  /** Methods not listed. */
  defaultTier: Tier;
  /** chat.postMessage in one channel (DMs included). */
  postsPerChannel: Bucket;
  /** chat.postMessage across the workspace. */
  postsPerWorkspace: Bucket;
}

/**
 * Slack's published limits (https://api.slack.com/apis/rate-limits, and each
 * method's page at https://api.slack.com/methods/<method>): Tier 1 1+ per
 * minute, Tier 2 20+, Tier 3 50+, Tier 4 100+, per method per workspace per
 * app, "with occasional bursts"; chat.postMessage "generally allows an app to
 * post 1 message per second to a specific channel, with short bursts of more
 * than 1 allowed", and a workspace-wide ceiling Slack does not publish
 * ("several hundred messages per minute"; 300 here). The minimums are taken
 * as the limit, with a burst of a few calls.
 */
export const SLACK_RATE_LIMITS: RateLimitTable = {
  tiers: {
    1: { perMinute: 1, burst: 1 },
    2: { perMinute: 20, burst: 5 },
    3: { perMinute: 50, burst: 10 },
    4: { perMinute: 100, burst: 20 },
  },
  methods: { ...SLACK_METHOD_TIERS },
  defaultTier: SLACK_DEFAULT_TIER,
  postsPerChannel: { perMinute: 60, burst: 4 },
  postsPerWorkspace: { perMinute: 300, burst: 30 },
};

/** One bucket a call spends from. */
export interface LimitKey {
  key: string;
  bucket: Bucket;
}

/** The buckets a call spends one token from: its tier's, or for a post its channel's and the workspace's. */
export function limitKeysFor(table: RateLimitTable, method: string, params: Record<string, unknown>): LimitKey[] {
  const tier = Object.hasOwn(table.methods, method) ? table.methods[method]! : table.defaultTier;
  if (tier !== 'posts') return [{ key: method, bucket: table.tiers[tier] }];
  const channel = typeof params.channel === 'string' ? params.channel : '';
  return [
    { key: `chat.postMessage:${channel}`, bucket: table.postsPerChannel },
    { key: 'chat.postMessage (workspace)', bucket: table.postsPerWorkspace },
  ];
}

/** A change to the table: tiers, methods, and the posting limits may each be given in part. */
export interface RateLimitChange {
  tiers?: Partial<Record<Tier, Bucket>>;
  methods?: Record<string, Tier | 'posts'>;
  defaultTier?: Tier;
  postsPerChannel?: Bucket;
  postsPerWorkspace?: Bucket;
}

export function withChange(table: RateLimitTable, change: RateLimitChange): RateLimitTable {
  return {
    tiers: { ...table.tiers, ...change.tiers },
    methods: { ...table.methods, ...change.methods },
    defaultTier: change.defaultTier ?? table.defaultTier,
    postsPerChannel: change.postsPerChannel ?? table.postsPerChannel,
    postsPerWorkspace: change.postsPerWorkspace ?? table.postsPerWorkspace,
  };
}

/** Methods that are not Slack's Web API proper: never limited here. */
const UNLIMITED = new Set(['api.test']);

export class RateLimits {
  private table: RateLimitTable = SLACK_RATE_LIMITS;
  private on = false;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  /** 429s answered, by method. */
  readonly refused = new Map<string, number>();

  /** @param now milliseconds, real time: Slack's windows do not move with a test's clock. */
  constructor(private readonly now: () => number = () => performance.now()) {}

  get enabled(): boolean {
    return this.on;
  }

  get limits(): RateLimitTable {
    return this.table;
  }

  /** true: Slack's table; a change: Slack's table changed so (on); false: off. Buckets start full. */
  set(limits: boolean | RateLimitChange): void {
    this.on = limits !== false;
    this.table = typeof limits === 'object' ? withChange(SLACK_RATE_LIMITS, limits) : SLACK_RATE_LIMITS;
    this.buckets.clear();
  }

  /** Spends a token from each of the call's buckets, or answers the seconds to wait (nothing spent). */
  take(method: string, params: Record<string, unknown>): { retryAfter: number } | undefined {
    if (!this.on || UNLIMITED.has(method)) return undefined;
    const now = this.now();
    const keys = limitKeysFor(this.table, method, params);
    let waitMs = 0;
    const states = keys.map(({ key, bucket }) => {
      const perMs = bucket.perMinute / 60_000;
      const state = this.buckets.get(key) ?? { tokens: bucket.burst, at: now };
      state.tokens = Math.min(bucket.burst, state.tokens + (now - state.at) * perMs);
      state.at = now;
      this.buckets.set(key, state);
      if (state.tokens < 1) waitMs = Math.max(waitMs, (1 - state.tokens) / perMs);
      return state;
    });
    if (waitMs > 0) {
      this.refused.set(method, (this.refused.get(method) ?? 0) + 1);
      return { retryAfter: Math.max(1, Math.ceil(waitMs / 1_000)) };
    }
    for (const state of states) state.tokens -= 1;
    return undefined;
  }
}
