import type { Bucket } from '../coord/rateLimiter.js';
import { SLACK_DEFAULT_TIER, SLACK_METHOD_TIERS } from '../slackApi/methodTiers.js';

/**
 * The pace the bot keeps so Slack rarely has to say no: Slack's published
 * minimums (https://api.slack.com/apis/rate-limits: Tier 1 1+ per minute,
 * Tier 2 20+, Tier 3 50+, Tier 4 100+, per method per workspace, "with
 * occasional bursts"; chat.postMessage about 1 a second per channel with short
 * bursts, under a workspace-wide ceiling of several hundred a minute), as
 * token buckets the replicas share through Redis. Each is a little under
 * Slack's (5 % slower, one call less of burst), so calls that reach Slack a
 * little bunched still fit. (Replicas that do not share one bucket, through
 * Redis or one in-process coordinator, each spend the whole of it: 429s.)
 */
export interface PaceTable {
  tiers: Record<1 | 2 | 3 | 4, Bucket>;
  methods: Readonly<Record<string, 1 | 2 | 3 | 4 | 'posts'>>;
  defaultTier: 1 | 2 | 3 | 4;
  postsPerChannel: Bucket;
  postsPerWorkspace: Bucket;
}

export const SLACK_PACE: PaceTable = {
  tiers: {
    1: { perMinute: 0.95, burst: 1 },
    2: { perMinute: 19, burst: 4 },
    3: { perMinute: 47.5, burst: 9 },
    4: { perMinute: 95, burst: 19 },
  },
  methods: SLACK_METHOD_TIERS,
  defaultTier: SLACK_DEFAULT_TIER,
  postsPerChannel: { perMinute: 57, burst: 3 },
  postsPerWorkspace: { perMinute: 285, burst: 29 },
};

/** One bucket a call spends from; `shared` ones (a whole method, the workspace) keep room for pages. */
export interface PaceKey {
  /** The window's name: `tier-2`, `posts-channel`, `posts-workspace`. */
  window: string;
  key: string;
  shared: boolean;
}

/** The windows a call spends from: its method's tier, or for a post its channel's and the workspace's. */
export function paceKeysFor(table: PaceTable, method: string, channel: string | undefined): PaceKey[] {
  const tier = Object.hasOwn(table.methods, method) ? table.methods[method]! : table.defaultTier;
  if (tier !== 'posts') return [{ window: `tier-${tier}`, key: method, shared: true }];
  return [
    { window: 'posts-channel', key: channel ?? 'none', shared: false },
    { window: 'posts-workspace', key: 'workspace', shared: true },
  ];
}
