import { z } from 'zod';
import type { People } from '../config/fields.js';
import type { AppDeps } from './deps.js';

const CACHE_MS = 60_000;

/**
 * Whether a person is among `allowed` (users, or members of user groups). User
 * group membership is looked up with usergroups.users.list and cached briefly,
 * so a removal takes effect within a minute. Checked on the server at every
 * press, whatever buttons the message showed.
 */
export async function isAllowed(
  deps: Pick<AppDeps, 'slack' | 'coord' | 'log'>,
  allowed: People,
  user: string,
): Promise<boolean> {
  if (allowed.users.includes(user)) return true;
  for (const group of allowed.usergroups) {
    if ((await membersOf(deps, group, false)).includes(user)) return true;
  }
  return false;
}

/**
 * Everyone in a set of users and user groups (a level's responders, an action's `allowed`). A page may go out on the
 * membership last seen within the hour while a fresh one is looked up (`stale`): in a storm usergroups.users.list,
 * Tier 2 (about 20 a minute), must not decide when a responder is paged.
 */
export async function peopleOf(
  deps: Pick<AppDeps, 'slack' | 'coord' | 'log'>,
  allowed: People,
  options: { stale?: boolean } = {},
): Promise<string[]> {
  const members = await Promise.all(allowed.usergroups.map((g) => membersOf(deps, g, options.stale ?? false)));
  return [...new Set([...allowed.users, ...members.flat()])];
}

/** The cached member list, read back from Redis. */
const userIds = z.array(z.string());
/** How long a member list may stand in for a page while a fresh one is looked up. */
const STALE_MS = 3_600_000;

async function membersOf(
  deps: Pick<AppDeps, 'slack' | 'coord' | 'log'>,
  group: string,
  staleOk: boolean,
): Promise<string[]> {
  const fresh = await cachedMembers(deps, `usergroup:${group}`);
  if (fresh) return fresh;
  const stale = staleOk ? await cachedMembers(deps, `usergroup-seen:${group}`) : undefined;
  if (!stale) return lookUpMembers(deps, group);
  lookUpMembers(deps, group).catch((error: unknown) =>
    deps.log.warn({ err: error, usergroup: group }, 'could not refresh a user group; its last members were paged'),
  );
  return stale;
}

async function cachedMembers(deps: Pick<AppDeps, 'coord'>, key: string): Promise<string[] | undefined> {
  const cached = await deps.coord.get(key);
  const hit = cached ? userIds.safeParse(JSON.parse(cached)) : undefined;
  return hit?.success ? hit.data : undefined;
}

/** Lookups in flight, per Slack port: pages that miss the cache at once share one call instead of queueing many. */
const inFlight = new WeakMap<object, Map<string, Promise<string[]>>>();

function lookUpMembers(deps: Pick<AppDeps, 'slack' | 'coord' | 'log'>, group: string): Promise<string[]> {
  const running = inFlight.get(deps.slack) ?? new Map<string, Promise<string[]>>();
  inFlight.set(deps.slack, running);
  const asked = running.get(group);
  if (asked) return asked;
  const lookup = (async () => {
    const members = await deps.slack.usergroupMembers(group);
    const listed = JSON.stringify(members);
    await deps.coord.set(`usergroup:${group}`, listed, CACHE_MS);
    await deps.coord.set(`usergroup-seen:${group}`, listed, STALE_MS);
    return members;
  })().finally(() => running.delete(group));
  running.set(group, lookup);
  return lookup;
}
