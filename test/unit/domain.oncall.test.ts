import { describe, expect, it } from 'vitest';
import { type Layer, type Schedule, nextHandoff, nextShifts, whoIsOnCall } from '../../src/domain/oncall.js';
import { parseSpan, parseWhen, resolveWhen, sayWhen } from '../../src/domain/oncallTime.js';

const [ADA, GRACE, LIN, SAM] = ['U0ADA', 'U0GRACE', 'U0LIN', 'U0SAM'];
const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

function layer(overrides: Partial<Layer> = {}): Layer {
  return {
    name: 'primary',
    users: [ADA, GRACE, LIN],
    length: parseSpan('1w')!,
    handoff: { weekday: 1, minute: 9 * 60 },
    start: { year: 2026, month: 1, day: 5 },
    restrictions: [],
    ...overrides,
  };
}
const schedule = (zone: string, ...layers: Layer[]): Schedule => ({ id: 'auth', zone, layers });
const hours = (s: { start: Date; end: Date }) => (s.end.getTime() - s.start.getTime()) / HOUR;

describe('who is on call', () => {
  describe('a weekly rotation', () => {
    const weekly = schedule('Europe/Berlin', layer());

    it('puts the first person on call from the first handoff for one week', () => {
      expect(whoIsOnCall(weekly, [], at('2026-01-07T12:00:00Z'))).toMatchObject({
        user: ADA,
        layer: 'primary',
        start: at('2026-01-05T08:00:00Z'),
        end: at('2026-01-12T08:00:00Z'),
      });
    });

    it('hands off to the next person at the handoff moment, not a minute before', () => {
      expect(whoIsOnCall(weekly, [], at('2026-01-12T07:59:00Z')).user).toBe(ADA);
      expect(whoIsOnCall(weekly, [], at('2026-01-12T08:00:00Z')).user).toBe(GRACE);
    });

    it('wraps around to the first person after the last', () => {
      expect(whoIsOnCall(weekly, [], at('2026-01-20T12:00:00Z')).user).toBe(LIN);
      expect(whoIsOnCall(weekly, [], at('2026-01-27T12:00:00Z')).user).toBe(ADA);
      expect(whoIsOnCall(weekly, [], at('2026-12-01T12:00:00Z')).user).toBe([ADA, GRACE, LIN][47 % 3]);
    });

    it('starts at the first handoff weekday on or after the start date', () => {
      const fromThursday = schedule('Europe/Berlin', layer({ start: { year: 2026, month: 1, day: 1 } }));
      expect(whoIsOnCall(fromThursday, [], at('2026-01-03T12:00:00Z'))).toMatchObject({
        user: null,
        end: at('2026-01-05T08:00:00Z'),
      });
      expect(whoIsOnCall(fromThursday, [], at('2026-01-05T08:00:00Z')).user).toBe(ADA);
    });

    it('keeps the handoff at 09:00 local time on both sides of summer time', () => {
      const summer = whoIsOnCall(weekly, [], at('2026-07-08T12:00:00Z'));
      expect(summer.start.toISOString()).toBe('2026-07-06T07:00:00.000Z');
    });
  });

  describe('daylight saving time', () => {
    const daily = (zone: string) => schedule(zone, layer({ length: parseSpan('1d')!, handoff: { minute: 9 * 60 } }));

    it('makes the Europe/Berlin shift over the spring change 23 hours long', () => {
      const shift = whoIsOnCall(daily('Europe/Berlin'), [], at('2026-03-29T03:00:00Z'));
      expect(shift.start).toEqual(at('2026-03-28T08:00:00Z'));
      expect(shift.end).toEqual(at('2026-03-29T07:00:00Z'));
      expect(hours(shift)).toBe(23);
    });

    it('makes the Europe/Berlin shift over the autumn change 25 hours long', () => {
      const shift = whoIsOnCall(daily('Europe/Berlin'), [], at('2026-10-25T01:30:00Z'));
      expect(shift.start).toEqual(at('2026-10-24T07:00:00Z'));
      expect(shift.end).toEqual(at('2026-10-25T08:00:00Z'));
      expect(hours(shift)).toBe(25);
    });

    it('makes the America/New_York shifts over both changes 23 and 25 hours long', () => {
      const spring = whoIsOnCall(daily('America/New_York'), [], at('2026-03-08T12:00:00Z'));
      expect([spring.start, spring.end]).toEqual([at('2026-03-07T14:00:00Z'), at('2026-03-08T13:00:00Z')]);
      const autumn = whoIsOnCall(daily('America/New_York'), [], at('2026-11-01T12:00:00Z'));
      expect([autumn.start, autumn.end]).toEqual([at('2026-10-31T13:00:00Z'), at('2026-11-01T14:00:00Z')]);
      expect([hours(spring), hours(autumn)]).toEqual([23, 25]);
    });

    it('keeps a 12-hour rotation at 09:00 and 21:00: the night the clocks go forward is 11 hours', () => {
      const twelve = schedule(
        'America/New_York',
        layer({ users: [ADA, GRACE], length: parseSpan('12h')!, handoff: { minute: 9 * 60 } }),
      );
      const night = whoIsOnCall(twelve, [], at('2026-03-08T05:00:00Z'));
      expect([night.start, night.end]).toEqual([at('2026-03-08T02:00:00Z'), at('2026-03-08T13:00:00Z')]);
      expect(whoIsOnCall(twelve, [], at('2026-03-08T14:00:00Z')).start).toEqual(at('2026-03-08T13:00:00Z'));
    });

    it('rotates the same people through the change: nobody is skipped or on twice', () => {
      const people = [26, 27, 28, 29, 30].map(
        (day) => whoIsOnCall(daily('Europe/Berlin'), [], at(`2026-03-${day}T12:00:00Z`)).user,
      );
      expect(new Set(people.slice(0, 3)).size).toBe(3);
      expect(people[3]).toBe(people[0]);
      expect(people[4]).toBe(people[1]);
    });
  });

  describe('layers and restrictions', () => {
    const businessHours = layer({
      name: 'business hours',
      users: [SAM],
      restrictions: [{ days: [1, 2, 3, 4, 5], from: 9 * 60, to: 18 * 60 }],
    });
    const covered = schedule('Europe/Berlin', layer(), businessHours);

    it('lets a later layer cover the earlier one where it applies', () => {
      expect(whoIsOnCall(covered, [], at('2026-01-06T10:00:00Z'))).toMatchObject({
        user: SAM,
        layer: 'business hours',
        start: at('2026-01-06T08:00:00Z'),
        end: at('2026-01-06T17:00:00Z'),
      });
    });

    it('shows the earlier layer outside the restriction: evenings and weekends', () => {
      expect(whoIsOnCall(covered, [], at('2026-01-06T18:00:00Z'))).toMatchObject({
        user: ADA,
        start: at('2026-01-06T17:00:00Z'),
        end: at('2026-01-07T08:00:00Z'),
      });
      expect(whoIsOnCall(covered, [], at('2026-01-10T10:00:00Z'))).toMatchObject({
        user: ADA,
        start: at('2026-01-09T17:00:00Z'),
        end: at('2026-01-12T08:00:00Z'),
      });
    });

    it('reads a restriction whose end is before its start as running overnight', () => {
      const nights = schedule(
        'Europe/Berlin',
        layer(),
        layer({ name: 'nights', users: [SAM], restrictions: [{ days: [5], from: 22 * 60, to: 6 * 60 }] }),
      );
      expect(whoIsOnCall(nights, [], at('2026-01-09T22:00:00Z'))).toMatchObject({
        user: SAM,
        start: at('2026-01-09T21:00:00Z'),
        end: at('2026-01-10T05:00:00Z'),
      });
      expect(whoIsOnCall(nights, [], at('2026-01-10T06:00:00Z')).user).toBe(ADA);
    });

    it('leaves the slot empty where no layer applies', () => {
      const daytimeOnly = schedule('Europe/Berlin', businessHours);
      expect(whoIsOnCall(daytimeOnly, [], at('2026-01-06T20:00:00Z'))).toMatchObject({
        user: null,
        start: at('2026-01-06T17:00:00Z'),
        end: at('2026-01-07T08:00:00Z'),
      });
    });
  });

  describe('overrides', () => {
    const weekly = schedule('Europe/Berlin', layer());
    const override = { id: 1, user: SAM, start: at('2026-01-07T10:00:00Z'), end: at('2026-01-07T12:00:00Z') };

    it('puts the override person on call for its time, over every layer', () => {
      expect(whoIsOnCall(weekly, [override], at('2026-01-07T11:00:00Z'))).toMatchObject({
        user: SAM,
        overrideId: 1,
        start: override.start,
        end: override.end,
      });
    });

    it('cuts the regular shift around the override', () => {
      expect(whoIsOnCall(weekly, [override], at('2026-01-07T09:00:00Z')).end).toEqual(override.start);
      expect(whoIsOnCall(weekly, [override], at('2026-01-07T12:00:00Z'))).toMatchObject({
        user: ADA,
        start: override.end,
        end: at('2026-01-12T08:00:00Z'),
      });
    });

    it('lets the newest override win where two overlap', () => {
      const newer = { id: 2, user: LIN, start: at('2026-01-07T11:00:00Z'), end: at('2026-01-07T13:00:00Z') };
      expect(whoIsOnCall(weekly, [newer, override], at('2026-01-07T11:30:00Z')).user).toBe(LIN);
      expect(whoIsOnCall(weekly, [newer, override], at('2026-01-07T10:30:00Z')).user).toBe(SAM);
    });
  });

  describe('the next shifts', () => {
    it('lists the shifts from the current one on, with an override in between', () => {
      const weekly = schedule('Europe/Berlin', layer());
      const override = { id: 7, user: SAM, start: at('2026-01-13T08:00:00Z'), end: at('2026-01-14T08:00:00Z') };
      const shifts = nextShifts(weekly, [override], at('2026-01-07T12:00:00Z'), at('2026-01-26T00:00:00Z'));
      expect(shifts.map((s) => [s.user, s.start.toISOString()])).toEqual([
        [ADA, '2026-01-05T08:00:00.000Z'],
        [GRACE, '2026-01-12T08:00:00.000Z'],
        [SAM, '2026-01-13T08:00:00.000Z'],
        [GRACE, '2026-01-14T08:00:00.000Z'],
        [LIN, '2026-01-19T08:00:00.000Z'],
      ]);
      expect(nextHandoff(weekly, [override], at('2026-01-12T09:00:00Z'))).toMatchObject({ user: SAM });
    });
  });
});

describe('schedule times', () => {
  it('reads shift lengths in weeks, days, hours and minutes', () => {
    expect(parseSpan('1w')).toEqual({ weeks: 1, days: 0, hours: 0, minutes: 0 });
    expect(parseSpan('1d12h')).toEqual({ weeks: 0, days: 1, hours: 12, minutes: 0 });
    expect(parseSpan('90m')).toEqual({ weeks: 0, days: 0, hours: 0, minutes: 90 });
    for (const bad of ['', '0h', 'two hours', '1y', '2h1d']) expect(parseSpan(bad)).toBeUndefined();
  });

  it('reads a moment as the next such time in the zone', () => {
    const friday = at('2026-12-04T17:30:00Z'); // Fri 18:30 in Berlin
    const when = parseWhen('Fri 18:00')!;
    expect(resolveWhen(when, friday, 'Europe/Berlin')).toEqual(at('2026-12-11T17:00:00Z'));
    expect(resolveWhen(parseWhen('19:00')!, friday, 'Europe/Berlin')).toEqual(at('2026-12-04T18:00:00Z'));
    expect(resolveWhen(parseWhen('2026-12-08 09:00')!, friday, 'Europe/Berlin')).toEqual(at('2026-12-08T08:00:00Z'));
    expect(parseWhen('Fri 25:00')).toBeUndefined();
    expect(parseWhen('someday')).toBeUndefined();
  });

  it('says a moment as the reader reads it', () => {
    expect(sayWhen(at('2026-12-07T08:00:00Z'), 'Europe/Berlin')).toBe('09:00 Mon 7 Dec');
    expect(sayWhen(at('2026-12-07T08:00:00Z'), 'America/New_York')).toBe('03:00 Mon 7 Dec');
  });
});

describe("the README's worked example (incidentbot.example.yml's auth schedule)", () => {
  it('has Lin in office hours, Ada in the evening, and Grace for the override', async () => {
    const { loadConfigFile, exampleConfigPath } = await import('../../src/config/load.js');
    const { scheduleOf } = await import('../../src/config/schedules.js');
    const { config } = await loadConfigFile(exampleConfigPath, {}, { isExample: true });
    const auth = scheduleOf('auth', config.schedules.auth!);
    expect(whoIsOnCall(auth, [], at('2026-12-09T10:00:00Z')).user).toBe(LIN_EXAMPLE);
    expect(whoIsOnCall(auth, [], at('2026-12-09T19:00:00Z')).user).toBe(ADA_EXAMPLE);
    const thursdayNight = {
      id: 1,
      user: GRACE_EXAMPLE,
      start: at('2026-12-10T18:00:00Z'),
      end: at('2026-12-11T09:00:00Z'),
    };
    expect(whoIsOnCall(auth, [thursdayNight], at('2026-12-10T23:00:00Z')).user).toBe(GRACE_EXAMPLE);
    expect(whoIsOnCall(auth, [thursdayNight], at('2026-12-11T10:00:00Z')).user).toBe(LIN_EXAMPLE);
  });
});

const [ADA_EXAMPLE, GRACE_EXAMPLE, LIN_EXAMPLE] = ['U0ONCALL01', 'U0SECOND02', 'U0LEAD0005'];
