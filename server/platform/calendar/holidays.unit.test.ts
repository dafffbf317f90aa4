import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  easterSunday,
  type HolidayZone,
  holidayZoneOf,
  holidayZones,
  isPublicHoliday,
  isWorkingDay,
  publicHolidays,
  workingDaysBetween,
} from './holidays.ts';

const date = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const zone = fc.constantFrom(...holidayZones);

describe('Easter and the movable holidays', () => {
  it('finds Easter Sunday on the published dates', () => {
    expect(easterSunday(2000)).toBe('2000-04-23');
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(2038)).toBe('2038-04-25');
  });

  it('always puts Easter on a Sunday between 22 March and 25 April', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 4099 }), (year) => {
        const easter = easterSunday(year);
        expect(new Date(`${easter}T00:00:00Z`).getUTCDay()).toBe(0);
        expect(easter.slice(5) >= '03-22' && easter.slice(5) <= '04-25').toBe(true);
      }),
    );
  });
});

describe('public holidays by zone', () => {
  it('lists the 11 national holidays of 2026 in metropolitan France', () => {
    expect(publicHolidays(2026, 'metropole').map((h) => h.date)).toEqual([
      '2026-01-01',
      '2026-04-06',
      '2026-05-01',
      '2026-05-08',
      '2026-05-14',
      '2026-05-25',
      '2026-07-14',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]);
  });

  it('adds Good Friday and 26 December in Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle)', () => {
    for (const code of ['57', '67', '68']) expect(holidayZoneOf(code)).toBe('alsace-moselle');
    expect(isPublicHoliday('2026-04-03', 'alsace-moselle')).toBe(true);
    expect(isPublicHoliday('2026-12-26', 'alsace-moselle')).toBe(true);
    expect(isPublicHoliday('2026-04-03', 'metropole')).toBe(false);
    expect(publicHolidays(2026, 'alsace-moselle')).toHaveLength(13);
  });

  it('adds the abolition of slavery on each overseas department’s own date', () => {
    const expected: [string, HolidayZone, string][] = [
      ['971', 'guadeloupe', '05-27'],
      ['972', 'martinique', '05-22'],
      ['973', 'guyane', '06-10'],
      ['974', 'reunion', '12-20'],
      ['976', 'mayotte', '04-27'],
    ];
    for (const [code, z, day] of expected) {
      expect(holidayZoneOf(code)).toBe(z);
      expect(isPublicHoliday(`2026-${day}`, z)).toBe(true);
      expect(isPublicHoliday(`2026-${day}`, 'metropole')).toBe(false);
    }
    expect(holidayZoneOf('61')).toBe('metropole');
  });

  it('keeps one entry when two holidays fall on the same day (Ascension on 1 May 2008)', () => {
    const mayDay = publicHolidays(2008, 'metropole').filter((h) => h.date === '2008-05-01');
    expect(mayDay).toEqual([{ date: '2008-05-01', name: 'Fête du Travail ; Ascension' }]);
  });
});

describe('working days', () => {
  it('skips the weekend and the holidays: 4 working days after Thursday 30 April 2026 is Thursday 7 May', () => {
    // Fri 1 May and Fri 8 May are holidays; the weekend is skipped.
    expect(addWorkingDays('2026-04-30', 4, 'metropole')).toBe('2026-05-07');
    expect(addWorkingDays('2026-04-02', 1, 'alsace-moselle')).toBe('2026-04-07'); // Good Friday, weekend, Easter Monday
    expect(addWorkingDays('2026-04-02', 1, 'metropole')).toBe('2026-04-03');
  });

  it('never lands on a day off, and counts back exactly what it added', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 1, max: 40 }), zone, (start, n, z) => {
        const end = addWorkingDays(start, n, z);
        expect(isWorkingDay(end, z)).toBe(true);
        expect(workingDaysBetween(start, end, z)).toBe(n);
        expect(workingDaysBetween(end, start, z)).toBe(-n);
      }),
    );
  });

  it('goes back as far as it goes forward from a working day', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 1, max: 40 }), zone, (start, n, z) => {
        fc.pre(isWorkingDay(start, z));
        expect(addWorkingDays(addWorkingDays(start, n, z), -n, z)).toBe(start);
      }),
    );
  });

  it('counts 252 working days in 2026 in metropolitan France (261 weekdays, 9 holidays on a weekday)', () => {
    expect(workingDaysBetween('2025-12-31', '2026-12-31', 'metropole')).toBe(252);
    // Good Friday (3 April) is one more day off; 26 December 2026 is a Saturday.
    expect(workingDaysBetween('2025-12-31', '2026-12-31', 'alsace-moselle')).toBe(251);
  });
});
