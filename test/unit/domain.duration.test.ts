import { describe, expect, it } from 'vitest';
import { duration, parseDuration } from '../../src/config/duration.js';
import { formatDuration } from '../../src/domain/duration.js';

describe('reading a duration', () => {
  it('reads each unit in milliseconds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('60s')).toBe(60_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('2d')).toBe(172_800_000);
  });

  it('adds parts together and allows fractions', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration(' 1m30s ')).toBe(90_000);
  });

  it('refuses a number without a unit, a space inside, or an unknown unit', () => {
    for (const text of ['10', '', '10 m', '1w', 'm', '-5m', '1h 30m']) expect(parseDuration(text)).toBeUndefined();
  });

  it('in a config file, says how to write one', () => {
    expect(duration.parse('15m')).toBe(900_000);
    const result = duration.safeParse('soon');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('"soon" is not a duration; write it like 500ms, 60s, 10m or 1h');
  });
});

describe('saying a duration', () => {
  it('says under a second in milliseconds', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(250.4)).toBe('250 ms');
  });

  it('says hours, minutes and seconds, leaving out the zero parts', () => {
    expect(formatDuration(90_000)).toBe('1m 30s');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(3_605_000)).toBe('1h 5s');
    expect(formatDuration(26 * 3_600_000)).toBe('26h');
  });

  it('rounds to the nearest second', () => {
    expect(formatDuration(1_499)).toBe('1s');
    expect(formatDuration(59_500)).toBe('1m');
  });

  it('never says 1000 ms: just under a second rounds up to 1s', () => {
    expect(formatDuration(999.7)).toBe('1s');
  });
});
