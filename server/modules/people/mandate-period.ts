import type { MandateDuration, MandateStatus } from '../../../contracts/mandates.ts';
import { fromWallClock, localDate, parseIsoDate, toWallClock, wallClockToEpoch } from '../../platform/calendar/zoned-time.ts';

const MONTHS: Record<Exclude<MandateDuration, '1_jour'>, number> = { '1_mois': 1, '6_mois': 6, '1_an': 12 };

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * When a mandate given at `start` ends: the same wall-clock time in the territory's zone, one day
 * or 1/6/12 months later. A day across a daylight-saving change is 23 or 25 hours; a month from
 * the 31st ends on the last day of a shorter month (31 January + 1 month = 28 or 29 February).
 */
export function mandateEnd(start: Date, duration: MandateDuration, timeZone: string): Date {
  const w = toWallClock(start, timeZone);
  if (duration === '1_jour') {
    const next = new Date(Date.UTC(w.year, w.month - 1, w.day + 1));
    return fromWallClock({ ...w, year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() }, timeZone, {
      notBefore: start.getTime(),
    });
  }
  const index = w.year * 12 + (w.month - 1) + MONTHS[duration];
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = Math.min(w.day, daysInMonth(year, month));
  return fromWallClock({ ...w, year, month, day }, timeZone, { notBefore: start.getTime() });
}

/** Calendar days from today to the end date, in the territory's zone: 0 on the last day and once over. */
export function daysLeft(now: Date, endsAt: Date, timeZone: string): number {
  if (endsAt.getTime() <= now.getTime()) return 0;
  const today = wallClockToEpoch(parseIsoDate(localDate(now, timeZone)));
  const last = wallClockToEpoch(parseIsoDate(localDate(endsAt, timeZone)));
  return Math.round((last - today) / 86_400_000);
}

export function mandateStatus(m: { revokedAt: Date | null; endsAt: Date }, now: Date): MandateStatus {
  if (m.revokedAt) return 'revoque';
  return m.endsAt.getTime() <= now.getTime() ? 'expire' : 'actif';
}
