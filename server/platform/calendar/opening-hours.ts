/**
 * Opening hours of a contact point: OSM `opening_hours` strings (https://wiki.openstreetmap.org/wiki/Key:opening_hours)
 * evaluated with the `opening_hours` library, in the territory's time zone and holiday zone. Pure.
 *
 * Conventions:
 * - "By appointment" is a period whose comment mentions a rendez-vous ("rendez-vous", "rdv"), in
 *   the canonical form `Mo 14:00-17:00 "sur rendez-vous"` (a time range with a comment is the
 *   library's `unknown` state). Its state is `appointment`; other commented `unknown` periods are
 *   `unknown`; `open "…"` periods with another comment stay `open` with that comment.
 * - `PH` means the public holidays of holidays.ts for the territory's zone, never the library's
 *   own data: before parsing, each rule whose selector names PH is rewritten with the explicit
 *   dates (`2026 Jan 01,2026 Apr 06,…`) of the years around the evaluated date. Supported: PH as
 *   the first selector of a rule, alone (`PH off`, `PH Mo-Fr 10:00-12:00`) or in a weekday list
 *   (`Sa,PH 10:00-12:00`, split into two rules with the same time part). Refused by validation:
 *   PH after a month/date selector, PH ±1 day, school holidays (SH) and sun-based times
 *   (sunrise…), whose data would not be ours.
 * - Time zones: the library computes with the process's local time. We hand it Dates whose local
 *   fields are the territory's wall clock (zoned-time.ts) and turn its answers back into instants,
 *   so results do not depend on the process's TZ (exact when the process runs in a zone without
 *   daylight saving, as servers do with TZ=UTC; in a process zone with DST, wall clocks inside
 *   that zone's own spring-forward hour are shifted by the library). Spring forward in the
 *   territory (02:00→03:00 in Europe/Paris): a rule boundary at 02:30 is taken as the moment of the
 *   jump, so `Su 01:00-04:00` lasts 2 real hours that day and `Su 02:00-02:30` not at all; fall
 *   back: wall times 02:00–03:00 occur twice and a rule covering them applies to both.
 */
import OpeningHoursLibrary, { type optional_conf } from 'opening_hours';
import { type HolidayZone, publicHolidays } from './holidays.ts';
import {
  addDays,
  epochToWallClock,
  fromWallClock,
  isoDate,
  localDate,
  localDateToWallClock,
  parseIsoDate,
  toWallClock,
  wallClockToEpoch,
  wallClockToLocalDate,
  weekdayIndex,
} from './zoned-time.ts';

export type OpeningState = 'open' | 'closed' | 'appointment' | 'unknown';
export type PeriodKind = Exclude<OpeningState, 'closed'>;

export interface OpeningContext {
  /** IANA time zone of the territory, e.g. Europe/Paris, America/Cayenne, Indian/Reunion. */
  timezone: string;
  holidayZone: HolidayZone;
}

export type OpeningHoursValidation = { ok: true; normalized: string; warnings: string[] } | { ok: false; message: string };

export interface OpeningStatus {
  state: OpeningState;
  comment?: string;
  /** When open or by appointment: the instant the state next becomes `closed`. */
  closesAt?: Date;
  /** The next instant the state changes (open ↔ appointment counts). */
  nextChange?: Date;
  /** When not open: the next instant it is `open` (searched up to 60 days ahead). */
  nextOpening?: Date;
}

export interface DayInterval {
  /** Local "HH:MM"; `end` is "24:00" for a period running to midnight or beyond. */
  start: string;
  end: string;
  kind: PeriodKind;
  comment?: string;
}

export interface DaySchedule {
  date: string;
  /** 0 = Monday … 6 = Sunday */
  weekday: number;
  /** Name of the public holiday of the zone that day, if any. */
  holiday?: string;
  intervals: DayInterval[];
}

export interface WeeklyHours {
  /** Average hours per week open without appointment. */
  open: number;
  appointment: number;
  unknown: number;
}

export class InvalidOpeningHoursError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidOpeningHoursError';
  }
}

const SEARCH_DAYS = 60;
const DAY = 86_400_000;
const MAX_LENGTH = 1000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const APPOINTMENT = /rendez[\s-]*vous|\brdv\b/i;
const LIBRARY_CONF: optional_conf = {
  tag_key: 'opening_hours',
  locale: 'fr',
  mode: undefined,
  map_value: undefined,
  warnings_severity: undefined,
};

function parse(value: string): OpeningHoursLibrary {
  try {
    return new OpeningHoursLibrary(value, null, LIBRARY_CONF);
  } catch (error) {
    throw new InvalidOpeningHoursError(cleanLibraryMessage(String(error)));
  }
}

function cleanLibraryMessage(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

/** Splits at `sep` outside double-quoted comments. */
function splitOutsideQuotes(value: string, separators: RegExp): { text: string; sep: string }[] {
  const parts: { text: string; sep: string }[] = [];
  let sep = '';
  let start = 0;
  let inQuote = false;
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '"') inQuote = !inQuote;
    if (inQuote) continue;
    separators.lastIndex = i;
    const match = separators.exec(value);
    if (match && match.index === i) {
      parts.push({ text: value.slice(start, i), sep });
      sep = match[0];
      start = i + match[0].length;
      i = start - 1;
    }
  }
  parts.push({ text: value.slice(start), sep });
  return parts;
}

function withoutComments(text: string): string {
  return text.replace(/"[^"]*"/g, '""');
}

function formatHolidayDates(dates: string[]): string {
  // A date list must not be empty: with no holidays, a date long past stands for "never".
  if (dates.length === 0) return '1970 Jan 01';
  return dates.map((d) => `${d.slice(0, 4)} ${MONTHS[Number(d.slice(5, 7)) - 1]} ${d.slice(8, 10)}`).join(',');
}

/**
 * Rewrites PH into explicit dates (see the module comment). `value` must already parse; it is
 * prettified first so rules are separated by "; ", " || " or ", " and selector lists have no spaces.
 */
export function rewritePublicHolidays(value: string, holidayDates: string[]): string {
  const pretty = parse(value).prettifyValue();
  const bare = withoutComments(pretty);
  if (/\bSH\b/.test(bare)) throw new InvalidOpeningHoursError('Les vacances scolaires (SH) ne sont pas prises en charge.');
  if (/\b(sunrise|sunset|dawn|dusk)\b/.test(bare)) {
    throw new InvalidOpeningHoursError('Les horaires liés au soleil (sunrise, sunset, dawn, dusk) ne sont pas pris en charge.');
  }
  if (!/\bPH\b/.test(bare)) return pretty;
  const dates = formatHolidayDates(holidayDates);
  const rules = splitOutsideQuotes(pretty, /; | \|\| |, /y);
  const out: string[] = [];
  for (const rule of rules) {
    const sep = rule.sep;
    const spaceAt = rule.text.indexOf(' ');
    const head = spaceAt === -1 ? rule.text : rule.text.slice(0, spaceAt);
    const rest = spaceAt === -1 ? '' : rule.text.slice(spaceAt);
    const items = head.split(',');
    const restBare = withoutComments(rest);
    if (!items.includes('PH')) {
      if (/\bPH\b/.test(restBare)) {
        throw new InvalidOpeningHoursError('Les jours fériés (PH) doivent être le premier sélecteur de la règle (ex. « PH off »).');
      }
      out.push(sep + rule.text);
      continue;
    }
    if (/^ [+-]\d/.test(restBare)) {
      throw new InvalidOpeningHoursError('Le décalage de jours fériés (PH +1 day, PH -1 day) n’est pas pris en charge.');
    }
    const others = items.filter((item) => item !== 'PH');
    if (others.length === 0) {
      out.push(`${sep}${dates}${rest}`);
    } else {
      out.push(`${sep}${others.join(',')}${rest}`);
      out.push(`${sep || '; '}${dates}${rest}`);
    }
  }
  return out.join('');
}

export function validateOpeningHours(value: string): OpeningHoursValidation {
  const trimmed = value.trim();
  if (trimmed === '') return { ok: false, message: 'Les horaires sont vides.' };
  if (trimmed.length > MAX_LENGTH) return { ok: false, message: `Les horaires dépassent ${MAX_LENGTH} caractères.` };
  try {
    const oh = parse(trimmed);
    const sample = publicHolidays(2026, 'metropole').map((h) => h.date);
    parse(rewritePublicHolidays(trimmed, sample));
    return { ok: true, normalized: oh.prettifyValue(), warnings: oh.getWarnings().map(cleanLibraryMessage) };
  } catch (error) {
    if (error instanceof InvalidOpeningHoursError) return { ok: false, message: `Horaires invalides : ${error.message}` };
    throw error;
  }
}

const compiled = new Map<string, OpeningHoursLibrary>();

function compile(value: string, holidayZone: HolidayZone | null, years: number[]): OpeningHoursLibrary {
  const key = `${holidayZone ?? '-'}|${years.join(',')}|${value}`;
  let oh = compiled.get(key);
  if (!oh) {
    const dates = holidayZone ? years.flatMap((y) => publicHolidays(y, holidayZone).map((h) => h.date)) : [];
    oh = parse(rewritePublicHolidays(value, dates));
    if (compiled.size >= 500) compiled.clear();
    compiled.set(key, oh);
  }
  return oh;
}

interface WallPeriod {
  /** Wall-clock epochs (wall clock read as UTC). */
  start: number;
  end: number;
  kind: PeriodKind;
  comment?: string;
}

function kindOf(unknown: boolean, comment: string | undefined): PeriodKind {
  if (comment && APPOINTMENT.test(comment)) return 'appointment';
  return unknown ? 'unknown' : 'open';
}

/** Periods between two wall clocks, as the library sees them (adjacent equal periods merged). */
function wallPeriods(oh: OpeningHoursLibrary, from: number, to: number): WallPeriod[] {
  const periods: WallPeriod[] = [];
  const raw = oh.getOpenIntervals(wallClockToLocalDate(epochToWallClock(from)), wallClockToLocalDate(epochToWallClock(to)));
  for (const [start, end, unknown, comment] of raw) {
    const period: WallPeriod = {
      start: wallClockToEpoch(localDateToWallClock(start)),
      end: wallClockToEpoch(localDateToWallClock(end)),
      kind: kindOf(unknown, comment),
      ...(comment === undefined ? {} : { comment }),
    };
    if (period.end <= period.start) continue;
    const last = periods.at(-1);
    if (last && last.end === period.start && last.kind === period.kind && last.comment === period.comment) last.end = period.end;
    else periods.push(period);
  }
  return periods;
}

function yearsAround(year: number): number[] {
  return [year - 1, year, year + 1];
}

export function evaluateOpeningHours(value: string, options: OpeningContext & { at: Date }): OpeningStatus {
  const { timezone, holidayZone, at } = options;
  const atMs = at.getTime();
  const atWall = wallClockToEpoch(toWallClock(atMs, timezone));
  const oh = compile(value, holidayZone, yearsAround(epochToWallClock(atWall).year));
  const windowEnd = atWall + SEARCH_DAYS * DAY;
  // Real instants, in order: each boundary is converted no earlier than the previous one.
  let cursor = atMs;
  const toInstant = (wall: number): number => {
    if (wall === atWall) return atMs;
    cursor = fromWallClock(epochToWallClock(wall), timezone, { notBefore: cursor }).getTime();
    return cursor;
  };
  const periods = wallPeriods(oh, atWall, windowEnd).map((p) => ({
    ...p,
    startMs: toInstant(p.start),
    endMs: p.end >= windowEnd ? Number.POSITIVE_INFINITY : toInstant(p.end),
  }));
  const live = periods.filter((p) => p.endMs > p.startMs);
  const current = live[0] && live[0].startMs <= atMs ? live[0] : undefined;
  const status: OpeningStatus = { state: current ? current.kind : 'closed' };
  if (current?.comment !== undefined) status.comment = current.comment;
  const finite = (ms: number) => (Number.isFinite(ms) ? new Date(ms) : undefined);
  const set = (key: 'closesAt' | 'nextChange' | 'nextOpening', ms: number | undefined) => {
    const date = ms === undefined ? undefined : finite(ms);
    if (date) status[key] = date;
  };
  if (current) {
    let index = 0;
    while (live[index + 1] && live[index + 1]?.startMs === live[index]?.endMs) index++;
    set('closesAt', live[index]?.endMs);
    let sameKind = 0;
    while (live[sameKind + 1] && live[sameKind + 1]?.startMs === live[sameKind]?.endMs && live[sameKind + 1]?.kind === current.kind)
      sameKind++;
    set('nextChange', live[sameKind]?.endMs);
  } else {
    set('nextChange', live[0]?.startMs);
  }
  if (status.state !== 'open') set('nextOpening', live.find((p) => p.kind === 'open')?.startMs);
  return status;
}

function hhmm(wall: number, dayStart: number): string {
  if (wall - dayStart >= DAY) return '24:00';
  const w = epochToWallClock(wall);
  return `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
}

function dayInterval(p: WallPeriod, dayStart: number): DayInterval {
  return {
    start: hhmm(p.start, dayStart),
    end: hhmm(p.end, dayStart),
    kind: p.kind,
    ...(p.comment === undefined ? {} : { comment: p.comment }),
  };
}

/** The 7 days starting at `weekStart` (a YYYY-MM-DD date, or the territory's date of an instant). */
export function weekSchedule(value: string, options: OpeningContext & { weekStart: string | Date }): DaySchedule[] {
  const { timezone, holidayZone } = options;
  const first = typeof options.weekStart === 'string' ? options.weekStart : localDate(options.weekStart, timezone);
  const start = wallClockToEpoch(parseIsoDate(first));
  const oh = compile(value, holidayZone, yearsAround(Number(first.slice(0, 4))));
  const holidays = new Map(
    [...new Set([first, addDays(first, 6)].map((d) => Number(d.slice(0, 4))))].flatMap((y) =>
      publicHolidays(y, holidayZone).map((h) => [h.date, h.name] as const),
    ),
  );
  const days: DaySchedule[] = [];
  for (let i = 0; i < 7; i++) {
    const dayStart = start + i * DAY;
    const date = isoDate(epochToWallClock(dayStart));
    const holiday = holidays.get(date);
    days.push({
      date,
      weekday: weekdayIndex(date),
      ...(holiday === undefined ? {} : { holiday }),
      intervals: wallPeriods(oh, dayStart, dayStart + DAY).map((p) => dayInterval(p, dayStart)),
    });
  }
  return days;
}

/**
 * Hours per week, in wall-clock time and without public holidays, averaged over `weeks` weeks
 * (52 by default) starting on the Monday of the week of `from` (YYYY-MM-DD): rules for some weeks
 * only (`Sa[1]`, `Jul-Aug off`) count for their share. Appointment and unknown periods are apart.
 */
export function weeklyOpenHours(value: string, options: { from: string; weeks?: number }): WeeklyHours {
  const weeks = options.weeks ?? 52;
  if (!Number.isInteger(weeks) || weeks < 1) throw new RangeError('weeks must be a positive integer');
  const monday = addDays(options.from, -weekdayIndex(options.from));
  const start = wallClockToEpoch(parseIsoDate(monday));
  const oh = compile(value, null, []);
  const totals: Record<PeriodKind, number> = { open: 0, appointment: 0, unknown: 0 };
  for (const p of wallPeriods(oh, start, start + weeks * 7 * DAY)) totals[p.kind] += p.end - p.start;
  const hours = (ms: number) => Math.round((ms / 3_600_000 / weeks) * 100) / 100;
  return { open: hours(totals.open), appointment: hours(totals.appointment), unknown: hours(totals.unknown) };
}
