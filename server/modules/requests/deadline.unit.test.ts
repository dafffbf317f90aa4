import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type HolidayZone, isWorkingDay } from '../../platform/calendar/holidays.ts';
import { evaluateOpeningHours } from '../../platform/calendar/opening-hours.ts';
import { localDate } from '../../platform/calendar/zoned-time.ts';
import {
  addWorkingTime,
  type ClockEvent,
  deadlineState,
  minutesPerDay,
  nextBusinessInstant,
  type WorkCalendar,
  workingDaysElapsed,
} from './deadline.ts';

const HOURS = 'Mo-Fr 09:00-12:00,14:00-17:00';
const paris: WorkCalendar = { zone: 'metropole', timeZone: 'Europe/Paris', businessHours: null };
const alsace: WorkCalendar = { zone: 'alsace-moselle', timeZone: 'Europe/Paris', businessHours: null };
const office: WorkCalendar = { ...paris, businessHours: HOURS };
const d = (iso: string) => new Date(iso);
const start = (at: string, days = 4, calendar: WorkCalendar = paris): ClockEvent => ({ kind: 'start', at: d(at), days, calendar });
const due = (at: string, days: number, calendar: WorkCalendar = paris) =>
  deadlineState([start(at, days, calendar)], d(at)).dueAt?.toISOString();

describe('deadline worked out by hand', () => {
  // Times are UTC; Paris is UTC+1 in winter (CET), UTC+2 in summer (CEST).
  it.each([
    // Mon 5 Jan 2026 10:00 CET + 4 days: Mon 14 h + Tue, Wed, Thu 72 h = 86 h, 10 h of Friday left → Fri 9 Jan 10:00 CET.
    ['sent on a Monday morning', '2026-01-05T09:00:00Z', 4, paris, '2026-01-09T09:00:00.000Z'],
    // Sat 10 Jan 2026: counts from Mon 12 Jan 00:00, 4 whole days Mon–Thu → Fri 16 Jan 00:00 CET (Thu 23:00 UTC).
    ['sent on a Saturday', '2026-01-10T10:00:00Z', 4, paris, '2026-01-15T23:00:00.000Z'],
    // Tue 12 May 2026 10:00 CEST: Tue 14 h, Wed 24 h (38), Thu 14 May Ascension, Fri 15 (62), Mon 18 (86),
    // 10 h of Tue 19 → Tue 19 May 10:00 CEST.
    ['Ascension 2026', '2026-05-12T08:00:00Z', 4, paris, '2026-05-19T08:00:00.000Z'],
    // Thu 30 Apr 2026 09:00 CEST + 5: Thu 15 h, Fri 1 May off, Mon 4 (39), Tue 5 (63), Wed 6 (87), Thu 7 (111),
    // Fri 8 May off, 9 h of Mon 11 → Mon 11 May 09:00 CEST.
    ['1 and 8 May 2026, both Fridays', '2026-04-30T07:00:00Z', 5, paris, '2026-05-11T07:00:00.000Z'],
    // Fri 22 May 2026 16:00 CEST + 2: Fri 8 h, Mon 25 Whit Monday off, Tue 26 (32), 16 h of Wed 27 → Wed 27 May 16:00 CEST.
    ['Whit Monday 2026', '2026-05-22T14:00:00Z', 2, paris, '2026-05-27T14:00:00.000Z'],
    // Wed 5 May 2027 12:00 CEST + 3: Wed 12 h, Thu 6 Ascension off, Fri 7 (36), Mon 10 (60), 12 h of Tue 11 → Tue 11 May 12:00 CEST.
    ['Ascension 2027', '2027-05-05T10:00:00Z', 3, paris, '2027-05-11T10:00:00.000Z'],
    // Sun 16 May 2027: Mon 17 is Whit Monday, counting starts Tue 18 00:00; 1 day → Wed 19 May 00:00 CEST (Tue 22:00 UTC).
    ['Whit Monday 2027', '2027-05-16T10:00:00Z', 1, paris, '2027-05-18T22:00:00.000Z'],
    // Wed 23 Dec 2026 10:00 CET + 4: Wed 14 h, Thu 24 (38), Fri 25 Christmas off, Mon 28 (62), Tue 29 (86),
    // 10 h of Wed 30 → Wed 30 Dec 10:00 CET (26 Dec is a Saturday: Alsace-Moselle gives the same).
    ['Christmas week 2026', '2026-12-23T09:00:00Z', 4, paris, '2026-12-30T09:00:00.000Z'],
    ['Christmas week 2026 in Alsace-Moselle', '2026-12-23T09:00:00Z', 4, alsace, '2026-12-30T09:00:00.000Z'],
    // Tue 13 Jul 2027 15:00 CEST + 1: Tue 9 h, Wed 14 July off, 15 h of Thu 15 → Thu 15 Jul 15:00 CEST.
    ['14 July 2027', '2027-07-13T13:00:00Z', 1, paris, '2027-07-15T13:00:00.000Z'],
    // Thu 2 Apr 2026 10:00 CEST + 2: Thu 14 h, Fri 3 (38), Mon 6 Easter Monday off, 10 h of Tue 7 → Tue 7 Apr 10:00 CEST.
    ['Good Friday 2026 outside Alsace-Moselle', '2026-04-02T08:00:00Z', 2, paris, '2026-04-07T08:00:00.000Z'],
    // Same, Good Friday 3 Apr off too: Thu 14 h, Tue 7 (38), 10 h of Wed 8 → Wed 8 Apr 10:00 CEST.
    ['Good Friday 2026 in Alsace-Moselle', '2026-04-02T08:00:00Z', 2, alsace, '2026-04-08T08:00:00.000Z'],
    // Thu 25 Mar 2027 10:00 CET + 1: Thu 14 h, 10 h of Fri 26 → Fri 26 Mar 10:00 CET.
    ['Good Friday 2027 outside Alsace-Moselle', '2027-03-25T09:00:00Z', 1, paris, '2027-03-26T09:00:00.000Z'],
    // Same in Alsace-Moselle: Fri 26 Good Friday off, Sun 28 clocks go forward, Mon 29 Easter Monday off,
    // 10 h of Tue 30 → Tue 30 Mar 10:00 CEST.
    ['Good Friday 2027 in Alsace-Moselle', '2027-03-25T09:00:00Z', 1, alsace, '2027-03-30T08:00:00.000Z'],
    // 26 Dec is a weekend in 2026 and 2027; in 2028 it is a Tuesday. Fri 22 Dec 2028 10:00 CET + 2: Fri 14 h,
    // Mon 25 off, Tue 26 (38), 10 h of Wed 27 → Wed 27 Dec 10:00 CET.
    ['26 December 2028 outside Alsace-Moselle', '2028-12-22T09:00:00Z', 2, paris, '2028-12-27T09:00:00.000Z'],
    // In Alsace-Moselle Tue 26 (Saint-Étienne) is off too: Wed 27 (38), 10 h of Thu 28 → Thu 28 Dec 10:00 CET.
    ['26 December 2028 in Alsace-Moselle', '2028-12-22T09:00:00Z', 2, alsace, '2028-12-28T09:00:00.000Z'],
    // Guadeloupe (UTC−4) Tue 26 May 2026 08:00 + 1: Tue 16 h, Wed 27 abolition of slavery off, 8 h of Thu 28 → Thu 28 May 08:00.
    [
      '27 May 2026 in Guadeloupe',
      '2026-05-26T12:00:00Z',
      1,
      { zone: 'guadeloupe', timeZone: 'America/Guadeloupe', businessHours: null },
      '2026-05-28T12:00:00.000Z',
    ],
    // Same request in mainland France: Wed 27 is worked → Wed 27 May 14:00 CEST.
    ['27 May 2026 in mainland France', '2026-05-26T12:00:00Z', 1, paris, '2026-05-27T12:00:00.000Z'],
    // La Réunion (UTC+4) Fri 17 Dec 2027 12:00 + 1: Fri 12 h, Mon 20 abolition of slavery off, 12 h of Tue 21 → Tue 21 Dec 12:00.
    [
      '20 December 2027 in La Réunion',
      '2027-12-17T08:00:00Z',
      1,
      { zone: 'reunion', timeZone: 'Indian/Reunion', businessHours: null },
      '2027-12-21T08:00:00.000Z',
    ],
    // Guyane (UTC−3) Mon 8 Jun 2026 09:00 + 4: Mon 15 h, Tue 24 (39), Wed 10 June abolition off, Thu 11 (63),
    // Fri 12 (87), 9 h of Mon 15 → Mon 15 Jun 09:00.
    [
      '10 June 2026 in Guyane',
      '2026-06-08T12:00:00Z',
      4,
      { zone: 'guyane', timeZone: 'America/Cayenne', businessHours: null },
      '2026-06-15T12:00:00.000Z',
    ],
    // Spring forward Sun 29 Mar 2026: Fri 27 Mar 10:00 CET + 4: Fri 14 h, Mon 30, Tue 31, Wed 1 (86), 10 h of
    // Thu 2 Apr → Thu 2 Apr 10:00 CEST, 08:00 UTC (counting in UTC would give 09:00).
    ['across the spring clock change 2026', '2026-03-27T09:00:00Z', 4, paris, '2026-04-02T08:00:00.000Z'],
    // Fall back Sun 25 Oct 2026: Fri 23 Oct 15:00 CEST + 4: Fri 9 h, Mon 26, Tue 27, Wed 28 (81), 15 h of Thu 29
    // → Thu 29 Oct 15:00 CET, 14:00 UTC.
    ['across the autumn clock change 2026', '2026-10-23T13:00:00Z', 4, paris, '2026-10-29T14:00:00.000Z'],
    // Business hours, 6 h a day: Mon 5 Jan 2026 16:00 CET + 2 days = 720 min: Mon 16–17 (60), Tue (420),
    // Wed 9–12 (600), 14–16 (720) → Wed 7 Jan 16:00 CET.
    ['with business hours', '2026-01-05T15:00:00Z', 2, office, '2026-01-07T15:00:00.000Z'],
    // Sent Mon 12:30 CET, in the lunch break: counts from 14:00; 1 day = 360 min: Mon 14–17 (180), Tue 9–12 (360)
    // → Tue 6 Jan 12:00 CET, the end of the morning rather than 14:00.
    ['with business hours, sent in the lunch break', '2026-01-05T11:30:00Z', 1, office, '2026-01-06T11:00:00.000Z'],
    // Business hours over Ascension 2026: Wed 13 May 15:00 CEST + 1: Wed 15–17 (120), Thu 14 off, Fri 9–12 (300),
    // 14–15 (360) → Fri 15 May 15:00 CEST.
    ['with business hours over Ascension 2026', '2026-05-13T13:00:00Z', 1, office, '2026-05-15T13:00:00.000Z'],
  ] as const)('%s', (_name, at, days, calendar, expected) => {
    expect(due(at, days, calendar)).toBe(expected);
    expect(addWorkingTime(d(at), days, calendar)?.toISOString()).toBe(expected);
  });

  it('counts a Monday-to-Friday week of business hours for a day of allowance', () => {
    expect(minutesPerDay(paris)).toBe(1440);
    expect(minutesPerDay(office)).toBe(360);
    // Business hours that never open on a working day would never run out: whole days instead.
    expect(minutesPerDay({ ...paris, businessHours: 'Sa 09:00-12:00' })).toBe(1440);
  });

  it('reports elapsed time, level and thresholds along the way', () => {
    const events = [start('2026-01-05T09:00:00Z')];
    // Wed 7 Jan 10:00 CET: 14 + 24 + 10 = 48 h of 96.
    const half = deadlineState(events, d('2026-01-07T09:00:00Z'));
    expect(half).toMatchObject({ running: true, paused: false, days: 4, elapsedMinutes: 2880, allowedMinutes: 5760, fraction: 0.5 });
    expect(half.level).toBe('a_mi_parcours');
    expect(half.startedAt?.toISOString()).toBe('2026-01-05T09:00:00.000Z');
    expect(half.thresholds.half?.toISOString()).toBe('2026-01-07T09:00:00.000Z');
    expect(half.thresholds.threeQuarters?.toISOString()).toBe('2026-01-08T09:00:00.000Z');
    expect(deadlineState(events, d('2026-01-06T09:00:00Z')).level).toBe('dans_les_temps');
    expect(deadlineState(events, d('2026-01-08T12:00:00Z')).level).toBe('bientot');
    // The weekend after Friday's due time does not count: Mon 12 Jan 10:00 CET is 24 h overdue, not 72.
    const late = deadlineState(events, d('2026-01-12T09:00:00Z'));
    expect(late).toMatchObject({ level: 'depassee', elapsedMinutes: 120 * 60, fraction: 1.25 });
    expect(late.dueAt?.toISOString()).toBe('2026-01-09T09:00:00.000Z');
  });

  it('stops the clock during a pause spanning a weekend and resumes it with the elapsed time kept', () => {
    // Mon 5 Jan 10:00 CET + 4; pause Thu 8 Jan 10:00 CET after 14 + 24 + 24 + 10 = 72 h; resume Mon 12 Jan
    // 10:00 CET: 24 h left → Tue 13 Jan 10:00 CET.
    const events: ClockEvent[] = [
      start('2026-01-05T09:00:00Z'),
      { kind: 'pause', at: d('2026-01-08T09:00:00Z') },
      { kind: 'resume', at: d('2026-01-12T09:00:00Z') },
    ];
    const waiting = deadlineState(events, d('2026-01-10T12:00:00Z'));
    expect(waiting).toMatchObject({ running: false, paused: true, elapsedMinutes: 72 * 60, fraction: 0.75, level: 'bientot', dueAt: null });
    expect(waiting.thresholds).toEqual({ half: null, threeQuarters: null, due: null });
    expect(waiting.pauses).toEqual([{ from: d('2026-01-08T09:00:00Z'), to: null }]);
    const resumed = deadlineState(events, d('2026-01-12T15:00:00Z'));
    expect(resumed).toMatchObject({ running: true, paused: false, elapsedMinutes: 78 * 60 });
    expect(resumed.dueAt?.toISOString()).toBe('2026-01-13T09:00:00.000Z');
    expect(resumed.pauses).toEqual([{ from: d('2026-01-08T09:00:00Z'), to: d('2026-01-12T09:00:00Z') }]);
    // The half was reached before the pause; the rest is projected after it.
    expect(resumed.thresholds.half?.toISOString()).toBe('2026-01-07T09:00:00.000Z');
    expect(resumed.thresholds.threeQuarters?.toISOString()).toBe('2026-01-08T09:00:00.000Z');
  });

  it('has no deadline once answered, and a new one from a follow-up', () => {
    // Answered Wed 7 Jan; follow-up Fri 9 Jan 15:00 CET + 4: Fri 9 h, Mon 12, Tue 13, Wed 14 (81), 15 h of Thu 15
    // → Thu 15 Jan 15:00 CET; what ran before the answer no longer counts.
    const events: ClockEvent[] = [
      start('2026-01-05T09:00:00Z'),
      { kind: 'stop', at: d('2026-01-07T11:00:00Z') },
      start('2026-01-09T14:00:00Z'),
    ];
    expect(deadlineState(events, d('2026-01-08T12:00:00Z'))).toEqual({
      running: false,
      paused: false,
      days: null,
      elapsedMinutes: 0,
      allowedMinutes: 0,
      fraction: 0,
      level: 'aucune',
      dueAt: null,
      startedAt: null,
      pauses: [],
      thresholds: { half: null, threeQuarters: null, due: null },
    });
    const followUp = deadlineState(events, d('2026-01-12T14:00:00Z'));
    expect(followUp.startedAt?.toISOString()).toBe('2026-01-09T14:00:00.000Z');
    expect(followUp.elapsedMinutes).toBe((9 + 15) * 60);
    expect(followUp.dueAt?.toISOString()).toBe('2026-01-15T14:00:00.000Z');
  });

  it('ignores events after now', () => {
    const events: ClockEvent[] = [start('2026-01-05T09:00:00Z'), { kind: 'stop', at: d('2026-01-07T11:00:00Z') }];
    expect(deadlineState(events, d('2026-01-06T09:00:00Z')).running).toBe(true);
    expect(deadlineState(events, d('2026-01-05T08:00:00Z')).level).toBe('aucune');
  });

  it('reads the log in time order and ignores what happens without a clock', () => {
    const events: ClockEvent[] = [
      { kind: 'resume', at: d('2026-01-06T09:00:00Z') },
      start('2026-01-05T09:00:00Z'),
      { kind: 'pause', at: d('2026-01-02T09:00:00Z') },
      { kind: 'pause', at: d('2026-01-06T09:00:00Z') },
    ];
    // Sorted: pause (no clock yet, ignored), start Mon 10:00 CET, then at Tue 10:00 the resume (not paused,
    // ignored) and the pause: 24 h counted.
    const state = deadlineState(events, d('2026-01-07T09:00:00Z'));
    expect(state).toMatchObject({ paused: true, elapsedMinutes: 1440 });
    expect(state.pauses).toEqual([{ from: d('2026-01-06T09:00:00Z'), to: null }]);
  });

  it('counts the days left in the new calendar after a change of business hours', () => {
    // Mon 5 Jan 2026 10:00 CET + 2 whole days; at Tue 6 Jan 10:00 CET one day (1440 min) is consumed and the
    // organisation switches to 9–12/14–17: the day left is 360 business minutes: Tue 10–12 (120), 14–17 (300),
    // Wed 9–10 (360) → Wed 7 Jan 10:00 CET.
    const events: ClockEvent[] = [start('2026-01-05T09:00:00Z', 2), { kind: 'calendar', at: d('2026-01-06T09:00:00Z'), calendar: office }];
    const state = deadlineState(events, d('2026-01-06T15:00:00Z'));
    expect(state.elapsedMinutes).toBe(1440 + 120 + 120);
    expect(state.fraction).toBeCloseTo(0.5 + 240 / 720, 10);
    expect(state.dueAt?.toISOString()).toBe('2026-01-07T09:00:00.000Z');
    expect(state.thresholds.half?.toISOString()).toBe('2026-01-06T09:00:00.000Z');
  });
});

describe('business instants and working days elapsed', () => {
  it('moves a reminder to the next business instant', () => {
    // Friday 9 Jan 2026 19:00 CET → Monday 12 Jan 08:00 CET without business hours, 09:00 with.
    expect(nextBusinessInstant(d('2026-01-09T18:00:00Z'), paris).toISOString()).toBe('2026-01-12T07:00:00.000Z');
    expect(nextBusinessInstant(d('2026-01-09T18:00:00Z'), office).toISOString()).toBe('2026-01-12T08:00:00.000Z');
    // Inside hours: unchanged; in the lunch break: 14:00; before Ascension: the Friday.
    expect(nextBusinessInstant(d('2026-01-06T10:15:00Z'), office).toISOString()).toBe('2026-01-06T10:15:00.000Z');
    expect(nextBusinessInstant(d('2026-01-06T11:30:00Z'), office).toISOString()).toBe('2026-01-06T13:00:00.000Z');
    expect(nextBusinessInstant(d('2026-05-13T17:00:00Z'), paris).toISOString()).toBe('2026-05-15T06:00:00.000Z');
    // 18:00 itself is outside (the window closes then).
    expect(nextBusinessInstant(d('2026-01-06T17:00:00Z'), paris).toISOString()).toBe('2026-01-07T07:00:00.000Z');
  });

  it('measures working days like the clock', () => {
    // Mon 5 Jan 10:00 → Mon 12 Jan 10:00 CET: 5 working days.
    expect(workingDaysElapsed(d('2026-01-05T09:00:00Z'), d('2026-01-12T09:00:00Z'), paris)).toBe(5);
    // Across Ascension (Thu 14 May 2026): Wed 13 12:00 → Fri 15 12:00 CEST is 1 day.
    expect(workingDaysElapsed(d('2026-05-13T10:00:00Z'), d('2026-05-15T10:00:00Z'), paris)).toBe(1);
    // Business hours: Mon 9:00 → Mon 15:00 CET is 4 h of a 6-hour day.
    expect(workingDaysElapsed(d('2026-01-05T08:00:00Z'), d('2026-01-05T14:00:00Z'), office)).toBeCloseTo(4 / 6, 10);
    expect(workingDaysElapsed(d('2026-01-12T09:00:00Z'), d('2026-01-05T09:00:00Z'), paris)).toBe(-5);
  });
});

const calendars: WorkCalendar[] = [
  paris,
  office,
  alsace,
  { zone: 'metropole', timeZone: 'Europe/Paris', businessHours: 'Mo-Fr 08:30-17:30' },
  { zone: 'metropole', timeZone: 'Europe/Paris', businessHours: 'Mo,We,Fr 10:00-16:00; Tu 13:00-18:00' },
  { zone: 'guyane', timeZone: 'America/Cayenne', businessHours: null },
  { zone: 'reunion', timeZone: 'Indian/Reunion', businessHours: HOURS },
  { zone: 'guadeloupe', timeZone: 'America/Guadeloupe', businessHours: 'Mo-Fr 07:30-15:30' },
];
const calendarArb = fc.constantFrom(...calendars);
const MIN = 60_000;
const startArb = fc
  .integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-01T00:00:00Z') })
  .map((ms) => ms - (ms % MIN));
/** Gaps between events: minutes up to ten days. */
const gapArb = fc.integer({ min: 0, max: 10 * 1440 }).map((m) => m * MIN);
const stepArb = fc.record({
  gap: gapArb,
  kind: fc.constantFrom('pause', 'resume', 'calendar' as const),
  calendar: calendarArb,
});

/** A single clock: a start then pauses, resumes and calendar changes. */
const logArb = fc
  .record({ at: startArb, days: fc.integer({ min: 1, max: 15 }), calendar: calendarArb, steps: fc.array(stepArb, { maxLength: 6 }) })
  .map((r) => {
    const events: ClockEvent[] = [{ kind: 'start', at: new Date(r.at), days: r.days, calendar: r.calendar }];
    let t = r.at;
    for (const step of r.steps) {
      t += step.gap;
      events.push(
        step.kind === 'calendar' ? { kind: 'calendar', at: new Date(t), calendar: step.calendar } : { kind: step.kind, at: new Date(t) },
      );
    }
    return { events, last: t };
  });

/** The calendar in force at `at` in a single-clock log. */
function calendarAt(events: ClockEvent[], at: number): WorkCalendar {
  let calendar = paris;
  for (const e of events) if ((e.kind === 'start' || e.kind === 'calendar') && e.at.getTime() <= at) calendar = e.calendar;
  return calendar;
}

function isWorkingInstant(at: number, calendar: WorkCalendar): boolean {
  if (!isWorkingDay(localDate(at, calendar.timeZone), calendar.zone)) return false;
  if (calendar.businessHours === null) return true;
  const status = evaluateOpeningHours(calendar.businessHours, {
    timezone: calendar.timeZone,
    holidayZone: calendar.zone,
    at: new Date(at),
  });
  return status.state === 'open';
}

describe('deadline properties', () => {
  it('never lets elapsed time decrease as now grows', () => {
    fc.assert(
      fc.property(logArb, gapArb, gapArb, ({ events, last }, a, b) => {
        const first = deadlineState(events, new Date(last + a));
        const second = deadlineState(events, new Date(last + a + b));
        expect(second.elapsedMinutes).toBeGreaterThanOrEqual(first.elapsedMinutes);
        expect(second.fraction).toBeGreaterThanOrEqual(first.fraction);
      }),
      { numRuns: 200 },
    );
  });

  it('puts the due instant inside a working window', () => {
    fc.assert(
      fc.property(logArb, gapArb, ({ events, last }, gap) => {
        const state = deadlineState(events, new Date(last + gap));
        if (!state.dueAt) return;
        // The allowance runs out at the end of some working minute: the instant just before is worked.
        const dueMs = state.dueAt.getTime();
        expect(isWorkingInstant(dueMs - 1, calendarAt(events, dueMs))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('never brings the due instant forward by pausing', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 1, max: 10 }), calendarArb, gapArb, gapArb, gapArb, (at, days, calendar, g1, g2, g3) => {
        const base = [{ kind: 'start', at: new Date(at), days, calendar }] as ClockEvent[];
        const paused = [...base, { kind: 'pause', at: new Date(at + g1) }, { kind: 'resume', at: new Date(at + g1 + g2) }] as ClockEvent[];
        const now = new Date(at + g1 + g2 + g3);
        const without = deadlineState(base, now).dueAt as Date;
        const withPause = deadlineState(paused, now).dueAt as Date;
        expect(withPause.getTime()).toBeGreaterThanOrEqual(without.getTime());
      }),
      { numRuns: 200 },
    );
  });

  it('never recomputes elapsed time when the calendar changes', () => {
    fc.assert(
      fc.property(logArb, gapArb, calendarArb, ({ events, last }, gap, calendar) => {
        const t = new Date(last + gap);
        const before = deadlineState(events, t);
        const after = deadlineState([...events, { kind: 'calendar', at: t, calendar }], t);
        expect(after.elapsedMinutes).toBe(before.elapsedMinutes);
        expect(after.fraction).toBeCloseTo(before.fraction, 9);
      }),
      { numRuns: 200 },
    );
  });

  it('reaches a fraction of 1 at the due instant', () => {
    fc.assert(
      fc.property(logArb, gapArb, ({ events, last }, gap) => {
        const state = deadlineState(events, new Date(last + gap));
        if (!state.dueAt) return;
        const atDue = deadlineState(events, state.dueAt);
        expect(Math.abs(atDue.fraction - 1) * atDue.allowedMinutes).toBeLessThanOrEqual(1);
        expect(atDue.level).toBe('depassee');
        const justBefore = deadlineState(events, new Date(state.dueAt.getTime() - MIN));
        expect(justBefore.fraction).toBeLessThan(1);
      }),
      { numRuns: 200 },
    );
  });

  it('places the thresholds in order, the due one at dueAt', () => {
    fc.assert(
      fc.property(logArb, gapArb, ({ events, last }, gap) => {
        const state = deadlineState(events, new Date(last + gap));
        if (!state.running) return;
        const { half, threeQuarters, due } = state.thresholds;
        expect(half && threeQuarters && due).toBeTruthy();
        expect((half as Date).getTime()).toBeLessThanOrEqual((threeQuarters as Date).getTime());
        expect((threeQuarters as Date).getTime()).toBeLessThanOrEqual((due as Date).getTime());
        expect(due).toEqual(state.dueAt);
        expect(deadlineState(events, half as Date).fraction).toBeCloseTo(0.5, 6);
      }),
      { numRuns: 200 },
    );
  });

  it('agrees with workingDaysElapsed on a clock without pauses', () => {
    fc.assert(
      fc.property(startArb, calendarArb, gapArb, (at, calendar, gap) => {
        const state = deadlineState([{ kind: 'start', at: new Date(at), days: 5, calendar }], new Date(at + gap));
        expect(workingDaysElapsed(new Date(at), new Date(at + gap), calendar)).toBeCloseTo(state.fraction * 5, 9);
      }),
      { numRuns: 200 },
    );
  });

  it('sends reminders only inside business hours', () => {
    fc.assert(
      fc.property(startArb, calendarArb, (at, calendar) => {
        const next = nextBusinessInstant(new Date(at), calendar).getTime();
        expect(next).toBeGreaterThanOrEqual(at);
        expect(isWorkingDay(localDate(next, calendar.timeZone), calendar.zone as HolidayZone)).toBe(true);
        if (calendar.businessHours !== null) expect(isWorkingInstant(next, calendar)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('float carry over a calendar change (cases fast-check found)', () => {
  const reunion = { zone: 'reunion', timeZone: 'Indian/Reunion', businessHours: 'Mo-Fr 09:00-12:00,14:00-17:00' } as const;

  it('keeps the due instant at the end of a working window, not at the next opening', () => {
    // 6 h a day. Thursday 1 January is a holiday; Friday 2 counts 360 min; Monday 5, 09:22 local:
    // 382 min = 1.0611… days, the calendar "changes" (same hours): 2.9388… days left = 1,058 min:
    // Monday 09:22 → 17:00 (338), Tuesday (360), Wednesday 09:00 → 17:00 (360): Wednesday 17:00 local.
    const events: ClockEvent[] = [
      { kind: 'start', at: new Date('2026-01-01T00:00:00Z'), days: 4, calendar: reunion },
      { kind: 'calendar', at: new Date('2026-01-05T05:22:00Z'), calendar: reunion },
    ];
    expect(deadlineState(events, new Date('2026-01-05T05:22:00Z')).dueAt?.toISOString()).toBe('2026-01-07T13:00:00.000Z');
  });

  it('reads 0.9999999999999998 at the due instant as reached', () => {
    const events: ClockEvent[] = [
      {
        kind: 'start',
        at: new Date('2027-06-25T06:00:00Z'),
        days: 10,
        calendar: { zone: 'metropole', timeZone: 'Europe/Paris', businessHours: 'Mo-Fr 08:30-17:30' },
      },
      { kind: 'calendar', at: new Date('2027-06-29T04:28:00Z'), calendar: reunion },
      { kind: 'pause', at: new Date('2027-07-08T07:37:00Z') },
      {
        kind: 'calendar',
        at: new Date('2027-07-08T07:37:00Z'),
        calendar: { zone: 'metropole', timeZone: 'Europe/Paris', businessHours: null },
      },
      { kind: 'resume', at: new Date('2027-07-08T07:37:00Z') },
    ];
    const due = deadlineState(events, new Date('2027-07-08T07:37:00Z')).dueAt!;
    expect(deadlineState(events, due).level).toBe('depassee');
  });
});
