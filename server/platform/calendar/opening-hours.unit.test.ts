import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type HolidayZone, holidayZones } from './holidays.ts';
import {
  evaluateOpeningHours,
  type OpeningContext,
  type OpeningState,
  rewritePublicHolidays,
  validateOpeningHours,
  weeklyOpenHours,
  weekSchedule,
} from './opening-hours.ts';
import { fromWallClock, localDate, toWallClock } from './zoned-time.ts';

const TERRITORIES: OpeningContext[] = [
  { timezone: 'Europe/Paris', holidayZone: 'metropole' },
  { timezone: 'Europe/Paris', holidayZone: 'alsace-moselle' },
  { timezone: 'America/Guadeloupe', holidayZone: 'guadeloupe' },
  { timezone: 'America/Martinique', holidayZone: 'martinique' },
  { timezone: 'America/Cayenne', holidayZone: 'guyane' },
  { timezone: 'Indian/Reunion', holidayZone: 'reunion' },
  { timezone: 'Indian/Mayotte', holidayZone: 'mayotte' },
];
const territory = fc.constantFrom(...TERRITORIES);
const instant = fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true });
const DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];
const paris: OpeningContext = { timezone: 'Europe/Paris', holidayZone: 'metropole' };

/** An instant from a wall clock "YYYY-MM-DDTHH:MM" in a zone. */
function at(wall: string, timezone = 'Europe/Paris'): Date {
  const [date, time] = wall.split('T') as [string, string];
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return fromWallClock({ year, month, day, hour, minute, second: 0, millisecond: 0 }, timezone);
}

const hm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Random weekly schedules: per day, sorted non-overlapping ranges (quarter hours), some by appointment. */
const weeklyValue = fc
  .array(
    fc.record({
      bounds: fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 0, maxLength: 6 }),
      appointment: fc.boolean(),
    }),
    { minLength: 7, maxLength: 7 },
  )
  .map((days) => {
    const rules: string[] = [];
    days.forEach((day, index) => {
      const sorted = [...day.bounds].sort((a, b) => a - b);
      const ranges: string[] = [];
      for (let i = 0; i + 1 < sorted.length; i += 2) ranges.push(`${hm((sorted[i] as number) * 15)}-${hm((sorted[i + 1] as number) * 15)}`);
      if (ranges.length > 0) rules.push(`${DAYS[index]} ${ranges.join(',')}${day.appointment ? ' "sur rendez-vous"' : ''}`);
    });
    return rules.length > 0 ? rules.join('; ') : 'off';
  });

function expectedFromSchedule(value: string, context: OpeningContext, t: Date): OpeningState {
  const [day] = weekSchedule(value, { ...context, weekStart: localDate(t, context.timezone) });
  const w = toWallClock(t, context.timezone);
  const now = hm(w.hour * 60 + w.minute);
  const interval = day?.intervals.find((i) => i.start <= now && now < i.end);
  return interval ? interval.kind : 'closed';
}

describe('validateOpeningHours', () => {
  it('accepts and normalizes valid values', () => {
    expect(validateOpeningHours('mo-fr 09:00-12:00,14:00-17:00;sa 09:00-12:00')).toMatchObject({
      ok: true,
      normalized: 'Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00',
    });
    expect(validateOpeningHours('Mo-Fr 09:00-12:00; PH off')).toMatchObject({ ok: true });
    expect(validateOpeningHours('Sa,PH 10:00-12:00')).toMatchObject({ ok: true });
    expect(validateOpeningHours('Mo 14:00-17:00 "sur rendez-vous"')).toMatchObject({ ok: true });
  });

  it('returns the library warnings in French', () => {
    const result = validateOpeningHours('Mo-Fr 9-12');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.warnings.join(' ')).toMatch(/minutes/);
  });

  it('refuses nonsense, empty values and what we cannot evaluate with our own data, in French', () => {
    for (const [value, pattern] of [
      ['', /vides/],
      ['Mo-Fr 09:00-12:00 foo', /Horaires invalides/],
      ['Mo-Fr 25:00-26:00', /Horaires invalides/],
      ['SH off', /vacances scolaires/],
      ['Mo-Fr sunrise-sunset', /soleil/],
      ['Dec PH off', /premier sélecteur/],
      ['PH -1 day off', /décalage/],
      ['x'.repeat(1001), /1000 caractères/],
    ] as const) {
      const result = validateOpeningHours(value);
      expect(result.ok, value).toBe(false);
      if (!result.ok) expect(result.message).toMatch(pattern);
    }
  });
});

describe('public holidays come from holidays.ts', () => {
  it('rewrites PH into explicit dates, splitting weekday lists', () => {
    expect(rewritePublicHolidays('Mo-Fr 09:00-12:00; PH off', ['2026-01-01', '2026-05-01'])).toBe(
      'Mo-Fr 09:00-12:00; 2026 Jan 01,2026 May 01 off',
    );
    expect(rewritePublicHolidays('Sa,PH 10:00-12:00', ['2026-07-14'])).toBe('Sa 10:00-12:00; 2026 Jul 14 10:00-12:00');
    expect(rewritePublicHolidays('Mo-Fr 09:00-12:00, PH off "férié"', ['2026-07-14'])).toBe('Mo-Fr 09:00-12:00, 2026 Jul 14 off "férié"');
    expect(rewritePublicHolidays('Mo 09:00-10:00 "PH; x"', [])).toBe('Mo 09:00-10:00 "PH; x"');
  });

  const value = 'Mo-Su 09:00-12:00; PH off';
  const stateOn = (date: string, context: OpeningContext) =>
    evaluateOpeningHours(value, { ...context, at: at(`${date}T10:00`, context.timezone) }).state;

  it('closes on 14 July everywhere', () => {
    for (const context of TERRITORIES) expect(stateOn('2026-07-14', context), context.holidayZone).toBe('closed');
  });

  it('closes on 26 December and Good Friday only in Alsace-Moselle', () => {
    for (const context of TERRITORIES) {
      const expected = context.holidayZone === 'alsace-moselle' ? 'closed' : 'open';
      expect(stateOn('2026-12-26', context), context.holidayZone).toBe(expected);
      expect(stateOn('2026-04-03', context), context.holidayZone).toBe(expected);
    }
  });

  it('closes on the abolition of slavery of each overseas zone only', () => {
    for (const context of TERRITORIES) {
      expect(stateOn('2026-05-27', context), context.holidayZone).toBe(context.holidayZone === 'guadeloupe' ? 'closed' : 'open');
      expect(stateOn('2026-05-22', context), context.holidayZone).toBe(context.holidayZone === 'martinique' ? 'closed' : 'open');
      expect(stateOn('2026-12-20', context), context.holidayZone).toBe(context.holidayZone === 'reunion' ? 'closed' : 'open');
    }
  });

  it('opens on holidays with "Sa,PH" and tells the holiday in the week schedule', () => {
    const week = weekSchedule('Sa,PH 10:00-12:00', { ...paris, weekStart: '2026-07-13' });
    expect(week.map((d) => [d.date, d.holiday, d.intervals.length])).toEqual([
      ['2026-07-13', undefined, 0],
      ['2026-07-14', 'Fête nationale', 1],
      ['2026-07-15', undefined, 0],
      ['2026-07-16', undefined, 0],
      ['2026-07-17', undefined, 0],
      ['2026-07-18', undefined, 1],
      ['2026-07-19', undefined, 0],
    ]);
  });

  it('PH off closes every holiday of every zone, around the new year too', () => {
    fc.assert(
      fc.property(fc.constantFrom(...holidayZones), fc.integer({ min: 2024, max: 2030 }), (zone: HolidayZone, year) => {
        const context = TERRITORIES.find((t) => t.holidayZone === zone) ?? { timezone: 'America/Guadeloupe', holidayZone: zone };
        for (const day of ['01-01', '12-25']) {
          expect(evaluateOpeningHours('24/7; PH off', { ...context, at: at(`${year}-${day}T10:00`, context.timezone) }).state).toBe(
            'closed',
          );
        }
      }),
      { numRuns: 20 },
    );
  });
});

describe('evaluateOpeningHours', () => {
  it('reports open with closing time, closed with next opening', () => {
    const value = 'Mo-Fr 09:00-12:00,14:00-17:00';
    expect(evaluateOpeningHours(value, { ...paris, at: at('2026-01-05T10:00') })).toEqual({
      state: 'open',
      closesAt: at('2026-01-05T12:00'),
      nextChange: at('2026-01-05T12:00'),
    });
    expect(evaluateOpeningHours(value, { ...paris, at: at('2026-01-09T18:00') })).toEqual({
      state: 'closed',
      nextChange: at('2026-01-12T09:00'),
      nextOpening: at('2026-01-12T09:00'),
    });
  });

  it('reports appointment periods with their comment', () => {
    const value = 'Mo 09:00-12:00; Mo 14:00-17:00 "sur rendez-vous"';
    expect(validateOpeningHours(value).ok).toBe(true);
    const combined = 'Mo 09:00-12:00, Mo 14:00-17:00 "sur rendez-vous"';
    expect(evaluateOpeningHours(combined, { ...paris, at: at('2026-01-05T15:00') })).toEqual({
      state: 'appointment',
      comment: 'sur rendez-vous',
      closesAt: at('2026-01-05T17:00'),
      nextChange: at('2026-01-05T17:00'),
      nextOpening: at('2026-01-12T09:00'),
    });
    expect(evaluateOpeningHours('Mo 10:00-12:00 open "RDV conseillé"', { ...paris, at: at('2026-01-05T11:00') }).state).toBe('appointment');
    expect(evaluateOpeningHours('Mo 10:00-12:00 "selon météo"', { ...paris, at: at('2026-01-05T11:00') }).state).toBe('unknown');
    expect(evaluateOpeningHours('Mo 10:00-12:00 open "guichet"', { ...paris, at: at('2026-01-05T11:00') })).toMatchObject({
      state: 'open',
      comment: 'guichet',
    });
  });

  it('24/7 is always open with no closing time', () => {
    fc.assert(
      fc.property(territory, instant, (context, t) => {
        expect(evaluateOpeningHours('24/7', { ...context, at: t })).toEqual({ state: 'open' });
      }),
      { numRuns: 50 },
    );
  });

  it('a day that is off is never open', () => {
    fc.assert(
      fc.property(territory, instant, (context, t) => {
        const status = evaluateOpeningHours('Mo-Su 08:00-18:00; We off', { ...context, at: t });
        const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: context.timezone, weekday: 'short' }).format(t);
        if (weekday === 'Wed') expect(status.state).toBe('closed');
        if (status.nextOpening) {
          expect(new Intl.DateTimeFormat('en-GB', { timeZone: context.timezone, weekday: 'short' }).format(status.nextOpening)).not.toBe(
            'Wed',
          );
        }
      }),
      { numRuns: 100 },
    );
  });

  it('agrees with weekSchedule at any instant', () => {
    fc.assert(
      fc.property(weeklyValue, territory, instant, (value, context, t) => {
        expect(evaluateOpeningHours(value, { ...context, at: t }).state).toBe(expectedFromSchedule(value, context, t));
      }),
      { numRuns: 200 },
    );
  });

  it('changes state exactly at nextChange, closes at closesAt and opens at nextOpening', () => {
    fc.assert(
      fc.property(weeklyValue, territory, instant, (value, context, t) => {
        const status = evaluateOpeningHours(value, { ...context, at: t });
        const stateAt = (d: Date) => evaluateOpeningHours(value, { ...context, at: d }).state;
        const justBefore = (d: Date) => new Date(d.getTime() - 1);
        if (status.nextChange) {
          expect(status.nextChange.getTime()).toBeGreaterThan(t.getTime());
          expect(stateAt(justBefore(status.nextChange))).toBe(status.state);
          expect(stateAt(status.nextChange)).not.toBe(status.state);
        }
        if (status.closesAt) {
          expect(status.state).not.toBe('closed');
          expect(stateAt(justBefore(status.closesAt))).not.toBe('closed');
          expect(stateAt(status.closesAt)).toBe('closed');
        }
        if (status.nextOpening) {
          expect(status.state).not.toBe('open');
          expect(stateAt(justBefore(status.nextOpening))).not.toBe('open');
          expect(stateAt(status.nextOpening)).toBe('open');
        }
        if (status.state === 'closed' && /\d/.test(value) && !value.includes('rendez-vous')) expect(status.nextOpening).toBeDefined();
      }),
      { numRuns: 150 },
    );
  });

  it('does not depend on the process time zone: same wall clock, instants shifted by the offsets', () => {
    const value = 'Mo-Fr 09:00-12:00';
    const inParis = evaluateOpeningHours(value, { ...paris, at: at('2026-01-05T10:00') });
    const inReunion = evaluateOpeningHours(value, {
      timezone: 'Indian/Reunion',
      holidayZone: 'reunion',
      at: at('2026-01-05T10:00', 'Indian/Reunion'),
    });
    expect(inParis.closesAt?.toISOString()).toBe('2026-01-05T11:00:00.000Z');
    expect(inReunion.closesAt?.toISOString()).toBe('2026-01-05T08:00:00.000Z');
    const inCayenne = evaluateOpeningHours(value, {
      timezone: 'America/Cayenne',
      holidayZone: 'guyane',
      at: new Date('2026-01-05T13:00:00Z'),
    });
    expect(inCayenne).toMatchObject({ state: 'open', closesAt: new Date('2026-01-05T15:00:00Z') });
    // The library's own clock would put 13:00Z on Monday 14:00 in Paris: closed there.
    expect(evaluateOpeningHours(value, { ...paris, at: new Date('2026-01-05T13:00:00Z') }).state).toBe('closed');
  });
});

describe('daylight saving time', () => {
  it('keeps 09:00-12:00 open exactly 3 hours on both change days in Europe/Paris', () => {
    for (const day of ['2026-03-29', '2026-10-25', '2025-03-30', '2025-10-26']) {
      const status = evaluateOpeningHours('Su 09:00-12:00', { ...paris, at: at(`${day}T09:00`) });
      expect(status.state).toBe('open');
      expect((status.closesAt?.getTime() ?? 0) - at(`${day}T09:00`).getTime()).toBe(3 * 3_600_000);
      expect(weekSchedule('Su 09:00-12:00', { ...paris, weekStart: day })[0]?.intervals).toEqual([
        { start: '09:00', end: '12:00', kind: 'open' },
      ]);
    }
  });

  it('a whole Sunday lasts 23 real hours in spring and 25 in autumn', () => {
    const spring = evaluateOpeningHours('Su 00:00-24:00', { ...paris, at: new Date('2026-03-28T23:00:00Z') });
    expect(spring.closesAt?.toISOString()).toBe('2026-03-29T22:00:00.000Z');
    const autumn = evaluateOpeningHours('Su 00:00-24:00', { ...paris, at: new Date('2026-10-24T22:00:00Z') });
    expect(autumn.closesAt?.toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('takes a boundary inside the spring gap (02:30) as the jump to 03:00', () => {
    // Su 01:00-02:30: open from 01:00 (00:00Z) until the clocks jump (01:00Z = 03:00 summer time).
    const early = evaluateOpeningHours('Su 01:00-02:30', { ...paris, at: new Date('2026-03-29T00:30:00Z') });
    expect(early).toMatchObject({ state: 'open', closesAt: new Date('2026-03-29T01:00:00Z') });
    // Su 02:30-05:00: opens at the jump.
    const late = evaluateOpeningHours('Su 02:30-05:00', { ...paris, at: new Date('2026-03-29T00:30:00Z') });
    expect(late).toMatchObject({ state: 'closed', nextOpening: new Date('2026-03-29T01:00:00Z') });
    expect(evaluateOpeningHours('Su 02:30-05:00', { ...paris, at: new Date('2026-03-29T01:00:00Z') }).state).toBe('open');
    // Su 02:00-02:30 never happens that day.
    const never = evaluateOpeningHours('Su 02:00-02:30', { ...paris, at: new Date('2026-03-28T23:00:00Z') });
    expect(never.nextOpening?.toISOString()).toBe('2026-04-05T00:00:00.000Z');
  });

  it('applies a rule covering 02:00-03:00 to both occurrences on the autumn change', () => {
    const value = 'Su 02:00-02:45';
    expect(evaluateOpeningHours(value, { ...paris, at: new Date('2026-10-25T00:30:00Z') })).toMatchObject({
      state: 'open',
      closesAt: new Date('2026-10-25T00:45:00Z'),
    });
    expect(evaluateOpeningHours(value, { ...paris, at: new Date('2026-10-25T01:30:00Z') })).toMatchObject({
      state: 'open',
      closesAt: new Date('2026-10-25T01:45:00Z'),
    });
  });

  it('Réunion has no daylight saving: the same UTC hours all year', () => {
    for (const day of ['2026-01-05', '2026-07-06']) {
      const status = evaluateOpeningHours('Mo 08:00-12:00', {
        timezone: 'Indian/Reunion',
        holidayZone: 'reunion',
        at: new Date(`${day}T04:00:00Z`),
      });
      expect(status).toMatchObject({ state: 'open', closesAt: new Date(`${day}T08:00:00Z`) });
    }
  });
});

describe('weekSchedule', () => {
  it('splits a midnight-spanning rule over two days', () => {
    const week = weekSchedule('Fr 22:00-02:00', { ...paris, weekStart: '2026-01-05' });
    expect(week[4]).toEqual({ date: '2026-01-09', weekday: 4, intervals: [{ start: '22:00', end: '24:00', kind: 'open' }] });
    expect(week[5]).toEqual({ date: '2026-01-10', weekday: 5, intervals: [{ start: '00:00', end: '02:00', kind: 'open' }] });
    expect(evaluateOpeningHours('Fr 22:00-02:00', { ...paris, at: at('2026-01-10T01:00') })).toMatchObject({
      state: 'open',
      closesAt: at('2026-01-10T02:00'),
    });
  });

  it('gives intervals with appointment flag, first-saturday rules and the territory date of an instant', () => {
    const value = 'Mo-Fr 09:00-12:00; Tu 14:00-16:30 "sur rendez-vous"; Sa[1] 09:00-12:00';
    const week = weekSchedule(value, { ...paris, weekStart: new Date('2026-01-04T23:30:00Z') });
    expect(week[0]?.date).toBe('2026-01-05');
    expect(week[1]?.intervals).toEqual([{ start: '14:00', end: '16:30', kind: 'appointment', comment: 'sur rendez-vous' }]);
    expect(week[5]?.intervals).toEqual([]);
    expect(weekSchedule(value, { ...paris, weekStart: '2026-02-02' })[5]?.intervals).toEqual([
      { start: '09:00', end: '12:00', kind: 'open' },
    ]);
  });
});

describe('weeklyOpenHours', () => {
  it('counts open and appointment hours of a typical week, holidays aside', () => {
    expect(weeklyOpenHours('Mo-Fr 09:00-12:00,14:00-17:00; PH off', { from: '2026-01-01' })).toEqual({
      open: 30,
      appointment: 0,
      unknown: 0,
    });
    expect(weeklyOpenHours('Mo-Th 09:00-12:00, Fr 14:00-17:00 "sur RDV"', { from: '2026-05-01' })).toEqual({
      open: 12,
      appointment: 3,
      unknown: 0,
    });
    expect(weeklyOpenHours('24/7', { from: '2026-03-23', weeks: 1 })).toEqual({ open: 168, appointment: 0, unknown: 0 });
    const firstSaturday = weeklyOpenHours('Sa[1] 09:00-12:00', { from: '2026-01-05' });
    expect(firstSaturday.open).toBeCloseTo((12 * 3) / 52, 1);
  });
});
