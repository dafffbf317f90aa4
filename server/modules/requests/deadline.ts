/**
 * The partner's answer deadline of a request, in working time, computed from its event log. Pure.
 *
 * Definition. Time counts only inside working windows: the working days of the holiday zone
 * (Monday to Friday minus the zone's public holidays, dates read in the territory's time zone),
 * whole (00:00–24:00 local) when the organisation has no business hours, else the `open` periods of
 * its business hours (OSM opening_hours) on that day. An allowance of N days is N × minutesPerDay:
 * 1440 without business hours, else the open minutes of a standard Monday–Friday week of the
 * business hours (the week of 12 January 2026, which holds no public holiday in any zone) / 5,
 * rounded to the minute. So a request sent Monday 10:00 with 4 days and no business hours is due
 * Friday 10:00; sent on a Saturday it counts from Monday 00:00 and is due Friday 00:00; a public
 * holiday in between pushes it one working day. Windows are real instants (zoned-time.ts), so a
 * day of 23 or 25 hours counts what it really lasts.
 *
 * The clock. `start` begins a new allowance (what came before no longer counts); `pause` stops it
 * and `resume` carries on with the elapsed time kept; `stop` removes it. A `calendar` change applies
 * to time after it only: the share of the allowance consumed so far is kept and the rest is counted
 * in the new calendar (two working days left stay two working days, whatever the hours become), so
 * elapsed time is never recomputed. Hence `fraction` is the share of the allowance consumed (in
 * days); it equals elapsedMinutes / allowedMinutes as long as the calendar did not change during the
 * clock, `allowedMinutes` being the allowance in the calendar in force.
 *
 * Cost: windows are computed per local day and cached, and the clock walks them day by day, never
 * minute by minute.
 */
import { type HolidayZone, isWorkingDay } from '../../platform/calendar/holidays.ts';
import { weekSchedule } from '../../platform/calendar/opening-hours.ts';
import { addDays, fromWallClock, localDate, parseIsoDate, weekdayIndex } from '../../platform/calendar/zoned-time.ts';

export interface WorkCalendar {
  zone: HolidayZone;
  timeZone: string;
  /** OSM opening_hours; null = whole working days. */
  businessHours: string | null;
}

export type ClockEvent =
  /** Sent, reopened, agent follow-up after an answer, partner intermediate message: a new allowance of `days` working days from `at`. */
  | { kind: 'start'; at: Date; days: number; calendar: WorkCalendar }
  /** The partner asked for information: the clock stops. */
  | { kind: 'pause'; at: Date }
  /** The information came: the clock resumes where it stopped. */
  | { kind: 'resume'; at: Date }
  /** Answered or closed: no deadline. */
  | { kind: 'stop'; at: Date }
  /** The organisation changed its calendar: applies from `at` only. */
  | { kind: 'calendar'; at: Date; calendar: WorkCalendar };

/** none, < 50 %, ≥ 50 %, ≥ 75 %, ≥ 100 % of the allowance consumed. */
export type DeadlineLevel = 'aucune' | 'dans_les_temps' | 'a_mi_parcours' | 'bientot' | 'depassee';

export interface DeadlineState {
  /** A clock exists and counts now (false when paused or stopped). */
  running: boolean;
  /** A clock exists and is paused (waiting for information). */
  paused: boolean;
  /** Allowance of the current clock, in working days. */
  days: number | null;
  /** Working minutes elapsed on the current clock (whole minutes, rounded down). */
  elapsedMinutes: number;
  /** The allowance in working minutes of the calendar in force. */
  allowedMinutes: number;
  /** Share of the allowance consumed (0 when no clock; above 1 when overdue). */
  fraction: number;
  level: DeadlineLevel;
  /** Instant the allowance runs out (in the past when overdue) if no further pause; null when stopped or paused. */
  dueAt: Date | null;
  startedAt: Date | null;
  /** The pauses of the current clock. */
  pauses: { from: Date; to: Date | null }[];
  /** Instants at which the fraction reached 0.5, 0.75 and 1 (projected when still ahead); null when paused or stopped. */
  thresholds: { half: Date | null; threeQuarters: Date | null; due: Date | null };
}

const MINUTE = 60_000;
const WHOLE_DAY_MINUTES = 1440;
/** Ten years: a clock that finds no window that far never runs out (dueAt null). */
const SEARCH_DAYS = 3660;
/** A Monday–Friday week without public holidays in any zone, to measure business hours. */
const REFERENCE_MONDAY = '2026-01-12';
const THRESHOLDS = [0.5, 0.75, 1] as const;
const CACHE_LIMIT = 20_000;

type Window = readonly [start: number, end: number];

interface Profile {
  key: string;
  zone: HolidayZone;
  timeZone: string;
  businessHours: string | null;
  minutesPerDay: number;
}

interface Day {
  /** Local midnight of the day, as an instant. */
  start: number;
  windows: Window[];
}

const profiles = new Map<string, Profile>();
const days = new Map<string, Day>();
const schedules = new Map<string, ReturnType<typeof weekSchedule>>();

function remember<V>(cache: Map<string, V>, key: string, compute: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute();
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, value);
  }
  return value;
}

function schedule(hours: string, zone: HolidayZone, monday: string) {
  return remember(schedules, `${zone}|${monday}|${hours}`, () =>
    weekSchedule(hours, { timezone: 'UTC', holidayZone: zone, weekStart: monday }),
  );
}

function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function businessMinutesPerDay(hours: string): number {
  let total = 0;
  for (const day of schedule(hours, 'metropole', REFERENCE_MONDAY).slice(0, 5)) {
    for (const i of day.intervals) if (i.kind === 'open') total += toMinutes(i.end) - toMinutes(i.start);
  }
  return Math.round(total / 5);
}

/** The calendar with its minutes per day; business hours never open on a working day fall back to whole days. */
function profileOf(calendar: WorkCalendar): Profile {
  const key = `${calendar.timeZone}|${calendar.zone}|${calendar.businessHours ?? ''}`;
  return remember(profiles, key, () => {
    const perDay = calendar.businessHours === null ? 0 : businessMinutesPerDay(calendar.businessHours);
    const businessHours = perDay > 0 ? calendar.businessHours : null;
    return { key, zone: calendar.zone, timeZone: calendar.timeZone, businessHours, minutesPerDay: perDay > 0 ? perDay : WHOLE_DAY_MINUTES };
  });
}

/** The instant of a local wall time ("HH:MM", "24:00" = next midnight) on a date, not before `notBefore`. */
function instantOf(date: string, hhmm: string, timeZone: string, notBefore?: number): number {
  if (hhmm === '24:00') return instantOf(addDays(date, 1), '00:00', timeZone, notBefore);
  const minutes = toMinutes(hhmm);
  const wall = { ...parseIsoDate(date), hour: Math.floor(minutes / 60), minute: minutes % 60 };
  return fromWallClock(wall, timeZone, notBefore === undefined ? {} : { notBefore }).getTime();
}

/** Working windows of a local date, as instants: `office` gives 08:00–18:00 instead of whole days (reminders). */
function dayOf(profile: Profile, date: string, office = false): Day {
  return remember(days, `${office ? 'office' : 'clock'}|${profile.key}|${date}`, () => {
    const { timeZone, zone, businessHours } = profile;
    const start = instantOf(date, '00:00', timeZone);
    if (!isWorkingDay(date, zone)) return { start, windows: [] };
    let intervals: { start: string; end: string }[];
    if (businessHours !== null) {
      const monday = addDays(date, -weekdayIndex(date));
      const day = schedule(businessHours, zone, monday)[weekdayIndex(date)];
      intervals = (day?.intervals ?? []).filter((i) => i.kind === 'open');
    } else {
      intervals = [office ? { start: '08:00', end: '18:00' } : { start: '00:00', end: '24:00' }];
    }
    const windows: Window[] = [];
    let cursor = start;
    for (const interval of intervals) {
      const from = instantOf(date, interval.start, timeZone, cursor);
      const to = instantOf(date, interval.end, timeZone, from);
      cursor = to;
      // The spring-forward gap can make a window empty.
      if (to > from) windows.push([from, to]);
    }
    return { start, windows };
  });
}

interface Walk {
  /** Working milliseconds counted. */
  ms: number;
  /** Where the walk ended: the instant the limit was reached, else `until`. */
  at: number;
  reached: boolean;
}

/** Counts working time from `from` until `until` or until `limit` ms have been counted, whichever first. */
function walk(profile: Profile, from: number, until: number, limit: number): Walk {
  if (limit <= 0) return { ms: 0, at: from, reached: true };
  let counted = 0;
  let date = localDate(from, profile.timeZone);
  for (let i = 0; i < SEARCH_DAYS; i++) {
    const day = dayOf(profile, date);
    if (day.start >= until) break;
    for (const [start, end] of day.windows) {
      const a = Math.max(start, from);
      const b = Math.min(end, until);
      if (b <= a) continue;
      if (counted + (b - a) >= limit) return { ms: limit, at: a + (limit - counted), reached: true };
      counted += b - a;
    }
    date = addDays(date, 1);
  }
  return { ms: counted, at: until, reached: false };
}

interface Clock {
  days: number;
  startedAt: number;
  profile: Profile;
  pauses: { from: Date; to: Date | null }[];
  paused: boolean;
  /** Instant up to which the clock has been counted. */
  cursor: number;
  /** Working ms and days consumed under earlier calendars of this clock. */
  closedMs: number;
  closedDays: number;
  /** Working ms counted under the current calendar. */
  segmentMs: number;
  /** When each threshold was reached (null: not yet). */
  crossings: (number | null)[];
}

/** Counts the clock up to `to`, noting when it crosses each threshold on the way. */
function advance(clock: Clock, to: number): void {
  const perDayMs = clock.profile.minutesPerDay * MINUTE;
  for (const [index, threshold] of THRESHOLDS.entries()) {
    if (clock.crossings[index] !== null) continue;
    // Rounded to the microsecond before the ceiling: days carried over a calendar change are a
    // fraction (382 / 360…), and a float just above a whole millisecond would push the due instant
    // past the end of a working window, into the next day's opening.
    const need = Math.ceil(Math.round((threshold * clock.days - clock.closedDays) * perDayMs * 1000) / 1000) - clock.segmentMs;
    const step = walk(clock.profile, clock.cursor, to, need);
    clock.segmentMs += step.ms;
    clock.cursor = step.at;
    if (!step.reached) return;
    clock.crossings[index] = step.at;
  }
  if (to === Number.POSITIVE_INFINITY) return;
  clock.segmentMs += walk(clock.profile, clock.cursor, to, Number.POSITIVE_INFINITY).ms;
  clock.cursor = to;
}

/** Days carried over calendar changes are floats: 0.9999999999999998 at the due instant is reached. */
const EPSILON = 1e-9;

function levelOf(fraction: number): DeadlineLevel {
  if (fraction >= 1 - EPSILON) return 'depassee';
  if (fraction >= 0.75 - EPSILON) return 'bientot';
  if (fraction >= 0.5 - EPSILON) return 'a_mi_parcours';
  return 'dans_les_temps';
}

function startClock(at: number, days: number, calendar: WorkCalendar): Clock {
  return {
    days,
    startedAt: at,
    profile: profileOf(calendar),
    pauses: [],
    paused: false,
    cursor: at,
    closedMs: 0,
    closedDays: 0,
    segmentMs: 0,
    crossings: THRESHOLDS.map(() => null),
  };
}

/** Replays the events up to `now`: the clock in force then, counted up to `now` (null: no deadline). */
function replay(events: ClockEvent[], nowMs: number): Clock | null {
  // Stable sort: events at the same instant keep their order.
  const ordered = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  let clock: Clock | null = null;
  for (const event of ordered) {
    const at = event.at.getTime();
    if (at > nowMs) break;
    if (clock && !clock.paused) advance(clock, at);
    if (event.kind === 'start') clock = startClock(at, event.days, event.calendar);
    else if (event.kind === 'stop') clock = null;
    else if (!clock) continue;
    else if (event.kind === 'pause' && !clock.paused) {
      clock.paused = true;
      clock.pauses.push({ from: event.at, to: null });
    } else if (event.kind === 'resume' && clock.paused) {
      clock.paused = false;
      const last = clock.pauses.at(-1);
      if (last) last.to = event.at;
      clock.cursor = at;
    } else if (event.kind === 'calendar') {
      // What was counted stays counted, in days of the old calendar; the rest counts in the new one.
      clock.closedDays += clock.segmentMs / (clock.profile.minutesPerDay * MINUTE);
      clock.closedMs += clock.segmentMs;
      clock.segmentMs = 0;
      clock.profile = profileOf(event.calendar);
    }
  }
  if (clock && !clock.paused) advance(clock, nowMs);
  return clock;
}

const NO_DEADLINE: DeadlineState = {
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
};

/**
 * The deadline of a request at `now`, from its clock events (events after `now` are ignored).
 * Throws InvalidOpeningHoursError or RangeError on business hours or a time zone that do not parse:
 * settings are validated when saved.
 */
export function deadlineState(events: ClockEvent[], now: Date): DeadlineState {
  const clock = replay(events, now.getTime());
  if (!clock) return { ...NO_DEADLINE, pauses: [], thresholds: { ...NO_DEADLINE.thresholds } };
  const consumedDays = clock.closedDays + clock.segmentMs / (clock.profile.minutesPerDay * MINUTE);
  const fraction = clock.days > 0 ? consumedDays / clock.days : 1;
  const thresholds: DeadlineState['thresholds'] = { half: null, threeQuarters: null, due: null };
  if (!clock.paused) {
    // Past crossings are kept; the others are projected as if nothing else happened.
    const projected: Clock = { ...clock, crossings: [...clock.crossings] };
    advance(projected, Number.POSITIVE_INFINITY);
    const [half, threeQuarters, due] = projected.crossings.map((ms) => (ms == null ? null : new Date(ms)));
    Object.assign(thresholds, { half: half ?? null, threeQuarters: threeQuarters ?? null, due: due ?? null });
  }
  return {
    running: !clock.paused,
    paused: clock.paused,
    days: clock.days,
    elapsedMinutes: Math.floor((clock.closedMs + clock.segmentMs) / MINUTE),
    allowedMinutes: clock.days * clock.profile.minutesPerDay,
    fraction,
    level: levelOf(fraction),
    dueAt: thresholds.due,
    startedAt: new Date(clock.startedAt),
    pauses: clock.pauses,
    thresholds,
  };
}

/** The instant `days` working days after `at` (the due instant of a clock started then). */
export function addWorkingTime(at: Date, days: number, calendar: WorkCalendar): Date | null {
  const profile = profileOf(calendar);
  const step = walk(profile, at.getTime(), Number.POSITIVE_INFINITY, Math.ceil(days * profile.minutesPerDay * MINUTE));
  return step.reached ? new Date(step.at) : null;
}

/** Working minutes in one day of allowance for this calendar (1440 without business hours). */
export function minutesPerDay(calendar: WorkCalendar): number {
  return profileOf(calendar).minutesPerDay;
}

/** Next instant ≥ `at` inside business hours (or 08:00–18:00 on a working day when businessHours is null) — no reminder is sent outside them. */
export function nextBusinessInstant(at: Date, calendar: WorkCalendar): Date {
  const profile = profileOf(calendar);
  const atMs = at.getTime();
  let date = localDate(atMs, profile.timeZone);
  for (let i = 0; i < SEARCH_DAYS; i++) {
    for (const [start, end] of dayOf(profile, date, profile.businessHours === null).windows) {
      if (end > atMs) return new Date(Math.max(start, atMs));
    }
    date = addDays(date, 1);
  }
  throw new RangeError('no business hours within ten years');
}

/** Working days elapsed between two instants (for statistics: time to first answer), computed like the clock. */
export function workingDaysElapsed(from: Date, to: Date, calendar: WorkCalendar): number {
  const profile = profileOf(calendar);
  const [a, b] = [from.getTime(), to.getTime()];
  if (b < a) return -workingDaysElapsed(to, from, calendar);
  return walk(profile, a, b, Number.POSITIVE_INFINITY).ms / (profile.minutesPerDay * MINUTE);
}
