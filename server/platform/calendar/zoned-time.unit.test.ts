import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, fromWallClock, instantsOf, localDate, toWallClock, weekdayIndex } from './zoned-time.ts';

const wall = (year: number, month: number, day: number, hour: number, minute: number) => ({
  year,
  month,
  day,
  hour,
  minute,
  second: 0,
  millisecond: 0,
});
const zones = ['Europe/Paris', 'America/Cayenne', 'Indian/Reunion', 'America/Martinique', 'Pacific/Noumea', 'America/Miquelon'];

describe('zoned time', () => {
  it('converts any instant to its wall clock and back', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2060-01-01T00:00:00Z'), noInvalidDate: true }),
        (zone, t) => {
          expect(instantsOf(toWallClock(t, zone), zone)).toContain(t.getTime());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('maps a wall clock inside the spring gap to the moment of the jump', () => {
    expect(instantsOf(wall(2026, 3, 29, 2, 30), 'Europe/Paris')).toEqual([]);
    expect(fromWallClock(wall(2026, 3, 29, 2, 30), 'Europe/Paris').toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(fromWallClock(wall(2026, 3, 29, 3, 0), 'Europe/Paris').toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });

  it('gives both instants of an autumn wall clock, the first by default', () => {
    const twice = wall(2026, 10, 25, 2, 30);
    expect(instantsOf(twice, 'Europe/Paris').map((ms) => new Date(ms).toISOString())).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T01:30:00.000Z',
    ]);
    expect(fromWallClock(twice, 'Europe/Paris').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(fromWallClock(twice, 'Europe/Paris', { notBefore: Date.parse('2026-10-25T01:00:00Z') }).toISOString()).toBe(
      '2026-10-25T01:30:00.000Z',
    );
  });

  it('computes local dates and weekdays without the process time zone', () => {
    expect(localDate(new Date('2026-01-04T23:30:00Z'), 'Europe/Paris')).toBe('2026-01-05');
    expect(localDate(new Date('2026-01-05T02:30:00Z'), 'America/Cayenne')).toBe('2026-01-04');
    expect(weekdayIndex('2026-01-05')).toBe(0);
    expect(weekdayIndex('2026-01-11')).toBe(6);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
