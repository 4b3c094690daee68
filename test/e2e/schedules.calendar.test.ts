import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ical, { type VEvent } from 'node-ical';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { overrideConfig } from '../support/config.js';
import { type Harness, startHarness } from '../support/harness.js';
import { SCHEDULES, WEDNESDAY } from '../support/schedules.js';

const ADA = 'U0ONCALL01';
const GRACE = 'U0SECOND02';
const TOKEN = 'calendar-secret-0123456789abcdef';

describe('the schedule calendar feed', () => {
  let h: Harness;
  beforeAll(async () => {
    const withFeed = {
      ...SCHEDULES,
      schedules: {
        ...SCHEDULES.schedules,
        auth: { ...SCHEDULES.schedules.auth, calendar_token: '${AUTH_CALENDAR_TOKEN}' },
      },
    };
    h = await startHarness({
      clock: new ManualClock(WEDNESDAY),
      config: (c) => overrideConfig(c, withFeed, { AUTH_CALENDAR_TOKEN: TOKEN }),
    });
  });
  afterAll(() => h.stop());

  const feed = (path: string) => fetch(`${h.bot.url}${path}`);

  it('exports the next 8 weeks of shifts as iCalendar, read back by a parser', async () => {
    await h.slack.sendCommand({ text: `oncall override auth <@${GRACE}> 2h`, user: ADA });
    await h.settle();
    const answer = await feed(`/schedules/auth.ics?token=${TOKEN}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/calendar/);
    const events = Object.values(ical.sync.parseICS(await answer.text()))
      .filter((c): c is VEvent => c?.type === 'VEVENT')
      .sort((a, b) => a.start.getTime() - b.start.getTime());
    const shifts = events.map((e) => [
      typeof e.summary === 'string' ? e.summary : e.summary.val,
      e.start.toISOString(),
      e.end!.toISOString(),
    ]);
    // From the shift on now (the override) on.
    expect(shifts.slice(0, 4)).toEqual([
      ['Grace Hopper on call for Auth on-call', '2026-12-09T10:00:00.000Z', '2026-12-09T12:00:00.000Z'],
      ['Ada Lovelace on call for Auth on-call', '2026-12-09T12:00:00.000Z', '2026-12-14T09:00:00.000Z'],
      ['Grace Hopper on call for Auth on-call', '2026-12-14T09:00:00.000Z', '2026-12-21T09:00:00.000Z'],
      ['Ada Lovelace on call for Auth on-call', '2026-12-21T09:00:00.000Z', '2026-12-28T09:00:00.000Z'],
    ]);
    // Eight weeks ahead: the shifts starting before 3 February 2027.
    expect(events.at(-1)!.start.toISOString()).toBe('2027-02-01T09:00:00.000Z');
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
  });

  it('answers 403 to a wrong or missing token and 404 to a schedule without a feed', async () => {
    expect((await feed('/schedules/auth.ics?token=guess')).status).toBe(403);
    expect((await feed('/schedules/auth.ics')).status).toBe(403);
    expect((await feed(`/schedules/nights.ics?token=${TOKEN}`)).status).toBe(404);
    expect((await feed(`/schedules/nope.ics?token=${TOKEN}`)).status).toBe(404);
  });

  /** `incidentbot …` against this file's database and a config file with the schedules. */
  async function cli(args: string[]): Promise<{ code: number; lines: string[] }> {
    const dir = await mkdtemp(join(tmpdir(), 'schedules-cli-'));
    const config = join(dir, 'incidentbot.yml');
    await writeFile(config, stringify({ schedules: SCHEDULES.schedules }));
    const env = { ...process.env };
    const database = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    process.env.DATABASE_URL = `${database}?options=-c%20search_path%3D${h.database.schema}`;
    process.env.INCIDENTBOT_CONFIG = config;
    const lines: string[] = [];
    try {
      const code = await runCli(args, { out: (l = '') => lines.push(l), err: (l) => lines.push(l) });
      return { code, lines };
    } finally {
      process.env = env;
    }
  }

  it('prints the same shifts as a table with `incidentbot oncall <schedule> --weeks N`', async () => {
    const { code, lines } = await cli(['oncall', 'auth', '--weeks', '3']);
    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^FROM \(Europe\/London\)\s+UNTIL\s+WHO\s+WHY$/);
    const rotation = lines.slice(1).filter((l) => l.endsWith('layer 1'));
    expect(rotation.length).toBeGreaterThanOrEqual(3);
    expect(rotation.every((l) => /^\d\d:\d\d \w{3} \d{1,2} \w{3}/.test(l) && /U0(ONCALL01|SECOND02)/.test(l))).toBe(
      true,
    );
  });

  it('refuses an unknown schedule or a bad --weeks in the terminal', async () => {
    expect(await cli(['oncall', 'auht'])).toEqual({
      code: 1,
      lines: ['There is no schedule `auht`. Did you mean `auth`? The schedules are `auth`, `nights`.'],
    });
    expect((await cli(['oncall', 'auth', '--weeks', '0'])).lines).toEqual([
      'usage: incidentbot oncall <schedule> [--weeks N]   (N from 1 to 52; default 8)',
    ]);
  });
});
