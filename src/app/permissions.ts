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
    if ((await membersOf(deps, group)).includes(user)) return true;
  }
  return false;
}

/** Everyone in a set of users and user groups (a level's responders, an action's `allowed`). */
export async function peopleOf(deps: Pick<AppDeps, 'slack' | 'coord' | 'log'>, allowed: People): Promise<string[]> {
  const members = await Promise.all(allowed.usergroups.map((g) => membersOf(deps, g)));
  return [...new Set([...allowed.users, ...members.flat()])];
}

/** The cached member list, read back from Redis. */
const userIds = z.array(z.string());

async function membersOf(deps: Pick<AppDeps, 'slack' | 'coord' | 'log'>, group: string): Promise<string[]> {
  const key = `usergroup:${group}`;
  const cached = await deps.coord.get(key);
  const hit = cached ? userIds.safeParse(JSON.parse(cached)) : undefined;
  if (hit?.success) return hit.data;
  const members = await deps.slack.usergroupMembers(group);
  await deps.coord.set(key, JSON.stringify(members), CACHE_MS);
  return members;
}
