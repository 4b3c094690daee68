import { closestNames } from '../domain/text.js';
import type { CheckConfig, CheckGroupConfig } from '../config/checks.js';

export interface ChecksConfig {
  checks: Record<string, CheckConfig>;
  groups: Record<string, CheckGroupConfig>;
}

export interface Target {
  /** The name that was resolved, or `all`. */
  target: string;
  title: string;
  checks: Array<{ name: string; config: CheckConfig }>;
}

/**
 * What `/incident health [target]` runs: a check, a group (its checks, in
 * order), or with no target every configured check. Undefined when unknown.
 */
export function resolveTarget(config: ChecksConfig, target?: string): Target | undefined {
  const key = target?.trim().toLowerCase() ?? '';
  if (key === '') {
    return {
      target: 'all',
      title: 'All checks',
      checks: Object.entries(config.checks).map(([name, check]) => ({ name, config: check })),
    };
  }
  const check = Object.hasOwn(config.checks, key) ? config.checks[key] : undefined;
  if (check) return { target: key, title: check.title ?? key, checks: [{ name: key, config: check }] };
  const group = Object.hasOwn(config.groups, key) ? config.groups[key] : undefined;
  if (!group) return undefined;
  // The config loader rejects unknown names; skipping here keeps a hand-built config from crashing.
  const checks = group.checks.flatMap((name) =>
    Object.hasOwn(config.checks, name) ? [{ name, config: config.checks[name]! }] : [],
  );
  return { target: key, title: group.title ?? key, checks };
}

/** The check and group names closest to what was typed, best first: "did you mean …". */
export function suggestTargets(config: ChecksConfig, typed: string, limit = 3): string[] {
  return closestNames(typed, [...Object.keys(config.groups), ...Object.keys(config.checks)], limit);
}
