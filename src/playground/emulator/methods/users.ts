import { z } from 'zod';
import { count, flag, id } from '../params.js';
import { apiUser, apiUsergroup } from '../shapes.js';
import { type MethodRun, defineMethod, fail, page } from './method.js';

const authTest = defineMethod(z.object({}), (ctx) => {
  const { team, bot } = ctx.workspace;
  return {
    url: `https://${team.domain}.slack.com/`,
    team: team.name,
    user: bot.name,
    team_id: team.id,
    user_id: bot.user_id,
    bot_id: bot.bot_id,
    is_enterprise_install: false,
  };
});

const usersInfo = defineMethod(
  z.object({ user: id, include_locale: flag.optional() }),
  (ctx, p) => ({ user: apiUser(ctx.store.user(p.user) ?? fail('user_not_found')) }),
  { user: 'user_not_found' },
);

const usersList = defineMethod(z.object({ cursor: z.string().optional(), limit: count.optional() }), (ctx, p) => {
  const { items, next_cursor } = page(ctx.workspace.users, p.cursor, p.limit, 1000);
  return { members: items.map(apiUser), cache_ts: ctx.store.nowSeconds(), response_metadata: { next_cursor } };
});

const lookupByEmail = defineMethod(
  z.object({ email: z.string().min(1) }),
  (ctx, p) => ({
    user: apiUser(ctx.workspace.users.find((u) => u.profile.email === p.email) ?? fail('users_not_found')),
  }),
  { email: 'users_not_found' },
);

const usergroupsList = defineMethod(
  z.object({ include_users: flag.optional(), include_count: flag.optional(), include_disabled: flag.optional() }),
  (ctx, p) => ({ usergroups: ctx.workspace.usergroups.map((g) => apiUsergroup(g, p.include_users ?? false)) }),
);

const usergroupsUsersList = defineMethod(
  z.object({ usergroup: id, include_disabled: flag.optional() }),
  (ctx, p) => ({
    users: [...(ctx.workspace.usergroups.find((g) => g.id === p.usergroup) ?? fail('no_such_subteam')).users],
  }),
  { usergroup: 'no_such_subteam' },
);

/** Like Slack: the group's members become exactly `users` (at least one, each a user of the workspace). */
const usergroupsUsersUpdate = defineMethod(
  z.object({ usergroup: id, users: z.string(), include_count: flag.optional() }),
  (ctx, p) => {
    const group = ctx.workspace.usergroups.find((g) => g.id === p.usergroup) ?? fail('no_such_subteam');
    const users = p.users
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    if (users.length === 0) fail('no_users_provided');
    if (users.some((u) => !ctx.store.user(u))) fail('invalid_users');
    group.users = [...new Set(users)];
    return { usergroup: apiUsergroup(group, true) };
  },
  { usergroup: 'no_such_subteam', users: 'no_users_provided' },
);

export const usersMethods: Record<string, MethodRun> = {
  'auth.test': authTest,
  'users.info': usersInfo,
  'users.list': usersList,
  'users.lookupByEmail': lookupByEmail,
  'usergroups.list': usergroupsList,
  'usergroups.users.list': usergroupsUsersList,
  'usergroups.users.update': usergroupsUsersUpdate,
};
