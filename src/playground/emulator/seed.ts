import type { Channel, User, Usergroup, Workspace } from './state.js';

/**
 * The seeded workspace. Ids are fixed: incidentbot.example.yml, the tests and
 * the playground page refer to them.
 */
export const SEED = {
  team: { id: 'T0PLAYGRND', domain: 'playground', name: 'Playground' },
  bot: { user_id: 'U0BOT00001', bot_id: 'B0BOT00001', app_id: 'A0PLAYGRND', name: 'incident-bot' },
  users: {
    ada: 'U0ONCALL01',
    grace: 'U0SECOND02',
    sam: 'U0STAKE003',
    tom: 'U0VIEWER04',
    lin: 'U0LEAD0005',
  },
  usergroups: {
    level1: 'S0LEVEL1',
    level2: 'S0LEVEL2',
    level3: 'S0LEVEL3',
    rollback: 'S0ROLLBACK',
    authNow: 'S0AUTHNOW',
  },
  channels: { incidents: 'C0INCIDENTS', stakeholders: 'C0STAKEHOLD', support: 'C0SUPPORT0', engineering: 'C0ENGINEER' },
} as const;

/** 2026-01-01T00:00:00Z: when the seeded things were "created". */
const SEEDED_AT = 1_767_225_600;

function human(id: string, name: string, realName: string, title: string): User {
  return {
    id,
    team_id: SEED.team.id,
    name,
    real_name: realName,
    is_bot: false,
    deleted: false,
    tz: 'Europe/London',
    profile: { real_name: realName, display_name: name, title, email: `${name}@playground.example` },
  };
}

function botUser(): User {
  const { user_id, bot_id, name } = SEED.bot;
  return {
    id: user_id,
    team_id: SEED.team.id,
    name,
    real_name: name,
    is_bot: true,
    deleted: false,
    tz: 'Europe/London',
    profile: { real_name: name, display_name: name, title: '', bot_id },
  };
}

function group(id: string, handle: string, name: string, description: string, users: string[]): Usergroup {
  return {
    id,
    team_id: SEED.team.id,
    handle,
    name,
    description,
    users,
    created_by: SEED.users.lin,
    date_create: SEEDED_AT,
  };
}

function publicChannel(id: string, name: string, purpose: string, members: string[]): Channel {
  return {
    id,
    name,
    kind: 'public',
    created: SEEDED_AT,
    creator: SEED.users.lin,
    members,
    topic: '',
    purpose,
    is_archived: false,
    pins: [],
  };
}

/** A workspace with only the team and the bot (seed: false), or the full seeded one. */
export function createWorkspace(seed = true): Workspace {
  const { ada, grace, sam, tom, lin } = SEED.users;
  const humans = [ada, grace, sam, tom, lin];
  const workspace: Workspace = {
    version: 1,
    team: { ...SEED.team },
    bot: { ...SEED.bot },
    users: [botUser()],
    usergroups: [],
    channels: [],
    messages: {},
    ephemerals: [],
    files: [],
    views: [],
  };
  if (!seed) return workspace;
  workspace.users.push(
    human(ada, 'ada', 'Ada Lovelace', 'On-call engineer'),
    human(grace, 'grace', 'Grace Hopper', 'Second responder (may approve)'),
    human(sam, 'sam', 'Sam Stakeholder', 'Stakeholder'),
    human(tom, 'tom', 'Tom Viewer', 'Viewer (not allowed to roll back)'),
    human(lin, 'lin', 'Lin Architect', 'Architecture lead'),
  );
  workspace.usergroups.push(
    group(SEED.usergroups.level1, 'oncall-auth', 'On-call: auth', 'Level 1: authentication on-call', [ada]),
    group(SEED.usergroups.level2, 'oncall-perf', 'On-call: performance', 'Level 2: performance on-call', [grace]),
    group(SEED.usergroups.level3, 'oncall-arch', 'On-call: architecture', 'Level 3: architecture lead', [lin]),
    group(SEED.usergroups.rollback, 'rollback', 'Rollback approvers', 'People allowed to run rollbacks', [ada, grace]),
    // Kept equal to whoever is on call for the `auth` schedule (incidentbot.example.yml) at every handoff.
    group(SEED.usergroups.authNow, 'auth-oncall', 'Auth: on call now', 'Whoever is on call for auth', [ada]),
  );
  workspace.channels.push(
    publicChannel(SEED.channels.incidents, 'incidents', 'Where incidents are declared', [...humans]),
    publicChannel(SEED.channels.stakeholders, 'stakeholders', 'Incident updates for stakeholders', [...humans]),
    publicChannel(SEED.channels.support, 'support', 'Customer support', [...humans]),
    publicChannel(SEED.channels.engineering, 'engineering', 'Engineering', [...humans]),
  );
  for (const channel of workspace.channels) workspace.messages[channel.id] = [];
  return workspace;
}
