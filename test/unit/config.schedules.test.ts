import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import { ProblemsError, type SourceProblem } from '../../src/errors.js';

async function configFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'incidentbot-schedules-'));
  const file = join(dir, 'incidentbot.yml');
  await writeFile(file, text);
  return file;
}

async function problemsOf(text: string): Promise<string[]> {
  const error = await loadConfigFile(await configFile(text), {}).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemsError);
  return (error as ProblemsError).problems.map((p: SourceProblem) => p.message);
}

const schedule = (fields: string) => `
schedules:
  auth:
    time_zone: Europe/Berlin
    layers:
      - users: [U0ONCALL01, U0SECOND02]
        length: 1w
        handoff: Mon 09:00
        start: 2026-01-05
${fields}`;

describe('schedules in the config', () => {
  it('reads a rotation: people, length, handoff moment, start date and restrictions', async () => {
    const { config } = await loadConfigFile(
      await configFile(`${schedule('        restrictions: [{ days: [mon, fri], from: "09:00", to: "18:00" }]')}`),
      {},
    );
    expect(config.schedules.auth).toMatchObject({
      time_zone: 'Europe/Berlin',
      handoff_notice: 600_000,
      layers: [
        {
          users: ['U0ONCALL01', 'U0SECOND02'],
          length: { weeks: 1, days: 0, hours: 0, minutes: 0 },
          handoff: { weekday: 1, minute: 540 },
          start: { year: 2026, month: 1, day: 5 },
          restrictions: [{ days: [1, 5], from: 540, to: 1080 }],
        },
      ],
    });
  });

  it('refuses a time zone that is not an IANA name', async () => {
    const text = schedule('').replace('Europe/Berlin', 'Europe/Gotham');
    expect(await problemsOf(text)).toContain('not an IANA time zone name such as Europe/Berlin');
  });

  it('refuses a length, handoff or start it cannot read', async () => {
    const problems = await problemsOf(
      schedule('')
        .replace('length: 1w', 'length: a week')
        .replace('Mon 09:00', 'Monday 9am')
        .replace('2026-01-05', 'soon'),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        '"a week" is not a shift length of an hour or more; write 1w, 1d or 12h',
        '"Monday 9am" is not a handoff moment; write it like "Mon 09:00" or "09:00"',
        '"soon" is not a start date; write it like 2026-01-05',
      ]),
    );
  });

  it('refuses a handoff weekday on a rotation that is not whole weeks', async () => {
    expect(await problemsOf(schedule('').replace('length: 1w', 'length: 1d'))).toContain(
      'a handoff weekday ("Mon 09:00") needs a length of whole weeks; give only a time ("09:00") otherwise',
    );
  });

  const policy = (responders: string, fallback = '          fallback: { users: [U0LEAD0005] }') => `
escalation:
  policies:
    auth:
      levels:
        - name: On call
          responders: ${responders}
${fallback}
          acknowledged_within: 15m
`;

  it('refuses a level that names a schedule the config does not have, and says which it has', async () => {
    expect(await problemsOf(schedule('') + policy('{ schedules: [auht] }'))).toContain(
      'no schedule named "auht"; did you mean "auth"? (schedules: auth)',
    );
  });

  it('says which file, line and level names an unknown schedule', async () => {
    const file = await configFile(schedule('') + policy('{ schedules: [auht] }'));
    const error = (await loadConfigFile(file, {}).catch((e: unknown) => e)) as ProblemsError;
    expect(error.problems).toContainEqual(
      expect.objectContaining({ file, line: 16, path: 'escalation.policies.auth.levels.0.responders.schedules.0' }),
    );
  });

  const people = `
people:
  U0ONCALL01: {}
  U0SECOND02: {}
`;

  it('refuses a rotation naming someone people: does not declare, with the closest ids', async () => {
    const typo = schedule('').replace('U0SECOND02]', 'U0SECOND20]') + people;
    const file = await configFile(typo);
    const error = (await loadConfigFile(file, {}).catch((e: unknown) => e)) as ProblemsError;
    expect(error.problems).toContainEqual(
      expect.objectContaining({
        file,
        path: 'schedules.auth.layers.0.users.1',
        message: 'schedule "auth" names U0SECOND20, who is not in people:; did you mean "U0SECOND02"?',
      }),
    );
  });

  it('accepts rotations of declared people, and any Slack user id when people: declares nobody', async () => {
    await expect(loadConfigFile(await configFile(schedule('') + people), {})).resolves.toBeDefined();
    await expect(loadConfigFile(await configFile(schedule('')), {})).resolves.toBeDefined();
  });

  it('refuses a level that pages a schedule without a fallback', async () => {
    expect(await problemsOf(schedule('') + policy('{ schedules: [auth] }', ''))).toContain(
      'a level that pages a schedule needs a `fallback` (users or user groups) for when nobody is on call',
    );
  });

  it('accepts a level paging a schedule with its fallback', async () => {
    const { config } = await loadConfigFile(await configFile(schedule('') + policy('{ schedules: [auth] }')), {});
    expect(config.escalation.policies.auth!.levels[0]).toMatchObject({
      responders: { schedules: ['auth'] },
      fallback: { users: ['U0LEAD0005'] },
    });
  });
});
