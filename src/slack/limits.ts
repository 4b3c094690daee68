import type { Window } from '../coord/rateLimiter.js';
import { SLACK_DEFAULT_TIER, SLACK_METHOD_TIERS } from '../slackApi/methodTiers.js';

/**
 * The pace the bot keeps so Slack rarely has to say no: Slack's published
 * minimums (https://api.slack.com/apis/rate-limits: Tier 1 1+ per minute,
 * Tier 2 20+, Tier 3 50+, Tier 4 100+, per method per workspace;
 * chat.postMessage about 1 a second per channel with short bursts, under a
 * workspace-wide ceiling of several hundred a minute), as fixed windows a
 * replica shares through Redis. A window holds at most half of the burst
 * Slack allows, so two windows back to back still fit in it.
 */
export interface PaceTable {
  tiers: Record<1 | 2 | 3 | 4, Window>;
  methods: Readonly<Record<string, 1 | 2 | 3 | 4 | 'posts'>>;
  defaultTier: 1 | 2 | 3 | 4;
  postsPerChannel: Window;
  postsPerWorkspace: Window;
}

export const SLACK_PACE: PaceTable = {
  tiers: {
    1: { points: 1, seconds: 120 },
    2: { points: 2, seconds: 6 },
    3: { points: 4, seconds: 5 },
    4: { points: 5, seconds: 3 },
  },
  methods: SLACK_METHOD_TIERS,
  defaultTier: SLACK_DEFAULT_TIER,
  postsPerChannel: { points: 1, seconds: 1 },
  postsPerWorkspace: { points: 10, seconds: 2 },
};

/** One window a call spends a point from; `shared` windows (a whole method, the workspace) keep room for pages. */
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
