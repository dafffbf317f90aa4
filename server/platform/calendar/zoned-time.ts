/**
 * Wall-clock time in an IANA time zone, without depending on the time zone of the process.
 *
 * A "wall clock" is what a clock on the wall of the contact point shows: calendar date and time
 * fields, no offset. Converting an instant to a wall clock is always defined; converting a wall
 * clock to an instant is not, around daylight-saving changes:
 * - gap (spring forward: 02:30 on the last Sunday of March in Europe/Paris does not exist): every
 *   wall clock inside the gap is taken as the instant of the change, when clocks jump from 02:00
 *   to 03:00 (01:00 UTC). A rule boundary at 02:30 that day therefore falls at 03:00 summer time,
 *   which keeps the instants in order and agrees with evaluating any real instant (no instant
 *   ever reads 02:30 that day);
 * - overlap (fall back, 02:30 happens twice on the last Sunday of October): the first occurrence,
 *   unless `notBefore` asks for an instant at or after a given one (then the first candidate at or
 *   after it), which keeps a sequence of converted boundaries in time order.
 */

export interface WallClock {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows this IANA time zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock of an instant in a time zone. */
export function toWallClock(instant: Date | number, timeZone: string): WallClock {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const fields: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) fields[part.type] = part.value;
  let year = Number(fields.year);
  if (fields.era === 'BC' || fields.era === 'B') year = 1 - year;
  return {
    year,
    month: Number(fields.month),
    day: Number(fields.day),
    hour: Number(fields.hour),
    minute: Number(fields.minute),
    second: Number(fields.second),
    millisecond: ((ms % 1000) + 1000) % 1000,
  };
}

/** The wall clock read as if it were UTC: a plain number to compare and subtract wall clocks. */
export function wallClockToEpoch(w: WallClock): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, w.millisecond);
  return d.getTime();
}

export function epochToWallClock(epoch: number): WallClock {
  const d = new Date(epoch);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

/** Offset of the time zone at an instant, in milliseconds (Europe/Paris in winter: +3 600 000). */
export function offsetAt(instant: number, timeZone: string): number {
  const whole = instant - (((instant % 1000) + 1000) % 1000);
  return wallClockToEpoch({ ...toWallClock(whole, timeZone), millisecond: 0 }) - whole;
}

/** Every instant whose wall clock in the zone is `w`: none (gap), one, or two (overlap), sorted. */
export function instantsOf(w: WallClock, timeZone: string): number[] {
  const epoch = wallClockToEpoch(w);
  // Offsets in force around that wall clock: a day before and after covers every real transition.
  const offsets = new Set([offsetAt(epoch - 86_400_000, timeZone), offsetAt(epoch, timeZone), offsetAt(epoch + 86_400_000, timeZone)]);
  const found = new Set<number>();
  for (const offset of offsets) {
    const candidate = epoch - offset;
    if (wallClockToEpoch(toWallClock(candidate, timeZone)) === epoch) found.add(candidate);
  }
  return [...found].sort((a, b) => a - b);
}

/** The instant of a wall clock in a zone (see the module comment for gaps and overlaps). */
export function fromWallClock(w: WallClock, timeZone: string, options: { notBefore?: number } = {}): Date {
  const candidates = instantsOf(w, timeZone);
  if (candidates.length > 0) {
    const { notBefore } = options;
    const chosen = notBefore === undefined ? candidates[0] : (candidates.find((c) => c >= notBefore) ?? candidates[0]);
    return new Date(chosen as number);
  }
  // Gap: the instant of the change, between the wall clock read with the offset after the change
  // (earlier) and with the offset before it (later); clocks read the end of the gap then.
  const epoch = wallClockToEpoch(w);
  const after = offsetAt(epoch + 86_400_000, timeZone);
  let low = epoch - after; // still before the change (offset of before)
  let high = epoch - offsetAt(epoch - 86_400_000, timeZone); // already after the change
  if (low > high) [low, high] = [high, low];
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (offsetAt(mid, timeZone) === after) high = mid;
    else low = mid;
  }
  return new Date(high);
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(instant: Date | number, timeZone: string): string {
  return isoDate(toWallClock(instant, timeZone));
}

export function isoDate(w: Pick<WallClock, 'year' | 'month' | 'day'>): string {
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** Parses YYYY-MM-DD into midnight wall clock fields; throws RangeError on anything else. */
export function parseIsoDate(date: string): WallClock {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`invalid ISO date: ${date}`);
  const w = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]), hour: 0, minute: 0, second: 0, millisecond: 0 };
  if (isoDate(epochToWallClock(wallClockToEpoch(w))) !== date) throw new RangeError(`invalid ISO date: ${date}`);
  return w;
}

/**
 * A Date whose *process-local* fields equal the wall clock: the form libraries that compute in
 * local time (opening_hours) expect. Exact whenever that wall clock exists in the process's own
 * zone (always with TZ=UTC or any zone without daylight saving).
 */
export function wallClockToLocalDate(w: WallClock): Date {
  const d = new Date(2000, 0, 1, 0, 0, 0, 0);
  d.setFullYear(w.year, w.month - 1, w.day);
  d.setHours(w.hour, w.minute, w.second, w.millisecond);
  return d;
}

/** The wall clock carried by the process-local fields of a Date (inverse of wallClockToLocalDate). */
export function localDateToWallClock(d: Date): WallClock {
  return {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    hour: d.getHours(),
    minute: d.getMinutes(),
    second: d.getSeconds(),
    millisecond: d.getMilliseconds(),
  };
}

/** Day of the week of a calendar date: 0 = Monday … 6 = Sunday. */
export function weekdayIndex(date: string): number {
  const days = Math.round(wallClockToEpoch(parseIsoDate(date)) / 86_400_000);
  return (((days + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday (index 3)
}

export function addDays(date: string, days: number): string {
  return isoDate(epochToWallClock(wallClockToEpoch(parseIsoDate(date)) + days * 86_400_000));
}
