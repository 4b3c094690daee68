import { describe, expect, it } from 'vitest';
import { type AccessConfig, accessSchema } from '../../src/config/access.js';
import { decideAccess, whoMay } from '../../src/domain/access.js';
import { describeEvent } from '../../src/domain/describe.js';

const rule = (change: Partial<AccessConfig['change']> = {}, rest: Partial<AccessConfig> = {}): AccessConfig => {
  const parsed = accessSchema.parse({});
  return { ...parsed, ...rest, change: { ...parsed.change, ...change } };
};
const facts = (over: Partial<Parameters<typeof decideAccess>[2]> = {}) => ({
  user: 'U0TOM',
  channelMembers: ['U0CHAN'],
  responders: ['U0RESP'],
  groupMembers: ['U0GROUP'],
  ...over,
});

describe('who may change an incident', () => {
  it('by default: channel members, responders and configured groups; nobody else', () => {
    expect(decideAccess(rule(), 'change', facts({ user: 'U0CHAN' }))).toEqual({ allowed: true, as: 'channel member' });
    expect(decideAccess(rule(), 'change', facts({ user: 'U0RESP' }))).toEqual({ allowed: true, as: 'responder' });
    expect(decideAccess(rule(), 'change', facts({ user: 'U0GROUP' }))).toEqual({ allowed: true, as: 'configured' });
    expect(decideAccess(rule(), 'change', facts())).toEqual({ allowed: false });
  });

  it('lets anyone read by default, and only those who may change with read: change', () => {
    expect(decideAccess(rule(), 'read', facts()).allowed).toBe(true);
    expect(decideAccess(rule({}, { read: 'change' }), 'read', facts()).allowed).toBe(false);
    expect(decideAccess(rule({}, { read: 'change' }), 'read', facts({ user: 'U0CHAN' })).allowed).toBe(true);
  });

  it('follows the switches: channel members or responders off, anyone on, named users', () => {
    expect(decideAccess(rule({ channel_members: false }), 'change', facts({ user: 'U0CHAN' })).allowed).toBe(false);
    expect(decideAccess(rule({ responders: false }), 'change', facts({ user: 'U0RESP' })).allowed).toBe(false);
    expect(decideAccess(rule({ anyone: true }), 'change', facts()).allowed).toBe(true);
    expect(decideAccess(rule({ users: ['U0TOM'] }), 'change', facts()).allowed).toBe(true);
  });

  it('always lets the system act (escalations, alerts, schedules)', () => {
    expect(decideAccess(rule(), 'change', facts({ user: 'system' })).allowed).toBe(true);
  });

  it('says who may, naming the channel, the responders and the groups', () => {
    const format = {
      channel: (id: string) => `#${id}`,
      usergroup: (id: string) => `@${id}`,
      user: (id: string) => `@${id}`,
    };
    expect(whoMay(rule({ usergroups: ['S0SRE'] }), { key: 'INC-4', channelId: 'C0INC4' }, 'acknowledge', format)).toBe(
      'You may not acknowledge INC-4: only the members of #C0INC4, ' +
        "INC-4's responders (its commander and the people its escalation pages) and @S0SRE may change it. " +
        'Ask one of them to add you to #C0INC4.',
    );
    expect(
      whoMay(rule({ channel_members: false, responders: false }), { key: 'INC-4', channelId: null }, 'resolve', format),
    ).toBe("You may not resolve INC-4: the bot's `access` settings let nobody change it.");
  });
});

describe('the new timeline kinds', () => {
  const event = (kind: 'access.refused' | 'alert.joined', data: Record<string, unknown>) => ({
    id: 1,
    incidentId: 1,
    occurredAt: new Date('2026-11-23T03:00:00Z'),
    actor: 'U0TOM',
    kind,
    data,
  });

  it('describe a refusal and a joined alert in one line each', () => {
    expect(describeEvent(event('access.refused', { action: 'acknowledge', intent: 'change' }))).toBe(
      'was refused: may not acknowledge this incident',
    );
    expect(describeEvent(event('alert.joined', { alertname: 'RedisDown', fingerprint: 'f' }))).toBe(
      'the alert RedisDown joined this incident',
    );
    expect(describeEvent(event('alert.joined', { alertname: 'RedisDown', fingerprint: 'f', folded: true }))).toContain(
      'too many alert incidents at once',
    );
  });
});
