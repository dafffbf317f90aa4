import { type HolidayZone, isPublicHoliday } from '../platform/calendar/holidays.ts';
import { addDays, fromWallClock, localDate, parseIsoDate, weekdayIndex } from '../platform/calendar/zoned-time.ts';
import type { SeedBusRound } from './model.ts';

export interface DatedBusStop {
  commune: string;
  inseeCode: string;
  place: string;
  latitude: number;
  longitude: number;
  startsAt: Date;
  endsAt: Date;
}

/** A local "HH:MM" on a local date, as an instant in the zone (summer and winter time alike). */
export function zonedInstant(date: string, time: string, timezone: string): Date {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return fromWallClock({ ...parseIsoDate(date), hour, minute }, timezone);
}

/**
 * The dated stops of a weekly round over `weeks` weeks from the day after `now` (local date in the
 * territory), skipping the public holidays of the zone. Pure.
 */
export function busStopsOf(
  round: SeedBusRound,
  options: { now: Date; timezone: string; holidayZone: HolidayZone; weeks: number },
): DatedBusStop[] {
  const first = addDays(localDate(options.now, options.timezone), 1);
  const shift = weekdayIndex(first); // weeks run Monday to Sunday; the first one may be partial
  const stops: DatedBusStop[] = [];
  for (let i = 0; i < options.weeks * 7; i++) {
    const date = addDays(first, i);
    if (isPublicHoliday(date, options.holidayZone)) continue;
    const weekday = weekdayIndex(date);
    const week = Math.floor((shift + i) / 7);
    for (const slot of round.slots) {
      if (slot.weekday !== weekday) continue;
      if ((slot.everyWeeks ?? 1) === 2 && week % 2 !== (slot.weekOffset ?? 0)) continue;
      stops.push({
        commune: slot.stop.commune,
        inseeCode: slot.stop.inseeCode,
        place: slot.place,
        latitude: slot.stop.latitude,
        longitude: slot.stop.longitude,
        startsAt: zonedInstant(date, slot.start, options.timezone),
        endsAt: zonedInstant(date, slot.end, options.timezone),
      });
    }
  }
  return stops;
}
