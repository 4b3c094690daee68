import type { EscalationLevel } from '../../config/escalation.js';
import type { AppDeps } from '../deps.js';
import { onCallAt, scheduleNamed } from '../oncall.js';
import { peopleOf } from '../permissions.js';

/** A level's responders at the moment it is paged: who is mentioned, who gets a direct message, who was on call. */
export interface ResolvedResponders {
  /** Mentioned in the thread: the level's users, each schedule's person on call, the fallback's users. */
  users: string[];
  usergroups: string[];
  /** Everyone who gets a direct message (user groups expanded). */
  people: string[];
  /** Each schedule the level pages and who was on call for it (null: nobody). */
  onCall: Array<{ schedule: string; user: string | null }>;
  /** A schedule had nobody on call, so the level's fallback is paged too. */
  fallback: boolean;
}

/**
 * Resolves a level's responders to people at an instant: its users and user groups as configured, and the
 * person on call for each of its schedules then. An empty slot (nobody on call, or a schedule no longer in the
 * config) pages the level's fallback: a page never goes to nobody.
 */
export async function respondersAt(
  deps: AppDeps,
  level: Pick<EscalationLevel, 'responders' | 'fallback'>,
  at: Date,
): Promise<ResolvedResponders> {
  const onCall = await Promise.all(
    level.responders.schedules.map(async (schedule) => {
      if (!deps.config.schedules[schedule]) return { schedule, user: null };
      return { schedule, user: (await onCallAt(deps, scheduleNamed(deps, schedule), at)).user };
    }),
  );
  const fallback = onCall.some((slot) => slot.user === null);
  const extra = fallback && level.fallback ? level.fallback : { users: [], usergroups: [] };
  const users = [
    ...new Set([
      ...level.responders.users,
      ...onCall.flatMap((slot) => (slot.user ? [slot.user] : [])),
      ...extra.users,
    ]),
  ];
  const usergroups = [...new Set([...level.responders.usergroups, ...extra.usergroups])];
  const people = await peopleOf(deps, { users, usergroups }, { stale: true });
  return { users, usergroups, people, onCall, fallback };
}
