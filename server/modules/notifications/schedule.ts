import { type HolidayZone, holidayZoneOf, isWorkingDay } from '../../platform/calendar/holidays.ts';
import { addDays, fromWallClock, localDate, parseIsoDate, toWallClock } from '../../platform/calendar/zoned-time.ts';

/** Working days from 08:00 to 18:00, local time of the territory: when reminders and digests may leave. */
export const BUSINESS_START_HOUR = 8;
export const BUSINESS_END_HOUR = 18;
/** The daily digest leaves at the start of business hours. */
export const DIGEST_HOUR = BUSINESS_START_HOUR;

export interface Zone {
  timeZone: string;
  holidays: HolidayZone;
}

/** A territory's zone: its IANA time zone and the public holidays of its département. */
export const zoneOf = (territory: { timezone: string; departmentCode: string }): Zone => ({
  timeZone: territory.timezone,
  holidays: holidayZoneOf(territory.departmentCode),
});
export const DEFAULT_ZONE: Zone = { timeZone: 'Europe/Paris', holidays: 'metropole' };

const startOfBusiness = (date: string, zone: Zone) =>
  fromWallClock({ ...parseIsoDate(date), hour: BUSINESS_START_HOUR, minute: 0, second: 0, millisecond: 0 }, zone.timeZone);

/**
 * `at` itself when it falls in business hours (a working day of the zone, 08:00–18:00 local),
 * otherwise the start of the next working day: the `notBefore` to give `notify()` for a reminder.
 */
export function nextBusinessInstant(at: Date, zone: Zone): Date {
  const date = localDate(at, zone.timeZone);
  const hour = toWallClock(at, zone.timeZone).hour;
  if (isWorkingDay(date, zone.holidays) && hour >= BUSINESS_START_HOUR && hour < BUSINESS_END_HOUR) return at;
  let day = isWorkingDay(date, zone.holidays) && hour < BUSINESS_START_HOUR ? date : addDays(date, 1);
  while (!isWorkingDay(day, zone.holidays)) day = addDays(day, 1);
  return startOfBusiness(day, zone);
}

/**
 * Whether a person's daily digest may leave now: a working day of their zone, from 08:00 local,
 * and no digest sent to them yet that local day. The job runs every hour, so a run missed while
 * the server was down is caught up by the next one.
 */
export function isDigestDue(now: Date, zone: Zone, lastDigestAt: Date | null): boolean {
  const today = localDate(now, zone.timeZone);
  if (!isWorkingDay(today, zone.holidays)) return false;
  if (toWallClock(now, zone.timeZone).hour < DIGEST_HOUR) return false;
  return !lastDigestAt || localDate(lastDigestAt, zone.timeZone) < today;
}
