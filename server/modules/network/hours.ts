import type { HoursStatus, ScheduleDay } from '../../../contracts/network.ts';
import { holidayZoneOf } from '../../platform/calendar/holidays.ts';
import {
  evaluateOpeningHours,
  type OpeningContext,
  validateOpeningHours,
  weeklyOpenHours,
  weekSchedule,
} from '../../platform/calendar/opening-hours.ts';
import { addDays, localDate, weekdayIndex } from '../../platform/calendar/zoned-time.ts';
import { invalid } from '../../platform/errors.ts';

/** Opening hours of contact points as the network screens show them (the engine is platform/calendar). */

interface TerritoryClock {
  timezone: string;
  departmentCode: string;
}

export const openingContextOf = (territory: TerritoryClock): OpeningContext => ({
  timezone: territory.timezone,
  holidayZone: holidayZoneOf(territory.departmentCode),
});

const UNKNOWN: HoursStatus = { state: 'unknown', comment: null, closesAt: null, nextChange: null, nextOpening: null };
const CLOSED_FOR_GOOD: HoursStatus = { state: 'closed', comment: 'lieu fermé', closesAt: null, nextChange: null, nextOpening: null };

/** Open now? Unknown hours stay unknown (never invented); a closed place is closed. */
export function hoursStatus(
  place: { openingHours: string | null; closedAt?: Date | null },
  territory: TerritoryClock,
  at: Date,
): HoursStatus {
  if (place.closedAt && place.closedAt <= at) return CLOSED_FOR_GOOD;
  if (!place.openingHours) return UNKNOWN;
  try {
    const s = evaluateOpeningHours(place.openingHours, { ...openingContextOf(territory), at });
    return {
      state: s.state,
      comment: s.comment ?? null,
      closesAt: s.closesAt?.toISOString() ?? null,
      nextChange: s.nextChange?.toISOString() ?? null,
      nextOpening: s.nextOpening?.toISOString() ?? null,
    };
  } catch {
    // Hours stored before validation existed (or by an import) that the engine refuses.
    return UNKNOWN;
  }
}

/** Monday of the week of `at`, in the territory's calendar. */
export function mondayOf(at: Date, timezone: string): string {
  const today = localDate(at, timezone);
  return addDays(today, -weekdayIndex(today));
}

/** The current week (Monday to Sunday) of a value; empty days when the hours are unknown. */
export function weekOf(value: string | null, territory: TerritoryClock, at: Date): ScheduleDay[] {
  const monday = mondayOf(at, territory.timezone);
  if (value) {
    try {
      return weekSchedule(value, { ...openingContextOf(territory), weekStart: monday }).map((d) => ({
        date: d.date,
        holiday: d.holiday ?? null,
        intervals: d.intervals
          .filter((i) => i.kind !== 'unknown' || i.comment)
          .map((i) => ({
            start: i.start,
            end: i.end,
            state: i.kind === 'appointment' ? ('appointment' as const) : i.kind === 'open' ? ('open' as const) : ('unknown' as const),
            comment: i.comment ?? null,
          })),
      }));
    } catch {
      // fall through: shown as unknown
    }
  }
  return Array.from({ length: 7 }, (_, i) => ({ date: addDays(monday, i), holiday: null, intervals: [] }));
}

/** Hours open (without appointment) in a typical week (averaged over the coming year, public holidays aside), or null when unknown. */
export function openHoursPerWeek(value: string | null, territory: TerritoryClock, at: Date): number | null {
  if (!value) return null;
  try {
    return weeklyOpenHours(value, { from: localDate(at, territory.timezone) }).open;
  } catch {
    return null;
  }
}

/** The value to store (the engine's normal form: "lundi 9h-12h" → "Mo 09:00-12:00"), or 400 OPENING_HOURS_INVALID with its French message. */
export function checkedOpeningHours(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  if (value.trim() === '') return null;
  const result = validateOpeningHours(value);
  if (!result.ok) throw invalid('OPENING_HOURS_INVALID', result.message, [{ path: 'body.openingHours', message: result.message }]);
  return result.normalized;
}
