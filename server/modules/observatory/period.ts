import type { Comparison, Period } from '../../../contracts/observatory.ts';
import { invalid } from '../../platform/errors.ts';

/** Months as integers (year × 12 + month − 1) for arithmetic; 'AAAA-MM' at the edges. */
export const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
export const monthOf = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
/** The first day of a month, as the `date` the aggregates store. */
export const monthDate = (i: number) => `${monthOf(i)}-01`;

/** The current month in a time zone. */
export function currentMonth(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(now);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return get('year') * 12 + get('month') - 1;
}

export const MAX_PERIOD_MONTHS = 60;

export interface ResolvedPeriod {
  from: number;
  to: number;
  previous: { from: number; to: number } | null;
  view: Period;
}

/** A query's months, the last 12 up to the current one by default, and its comparison period. */
export function resolvePeriod(q: { from?: string; to?: string; compare?: Comparison }, now: Date, timeZone: string): ResolvedPeriod {
  const current = currentMonth(now, timeZone);
  const to = q.to ? monthIndex(q.to) : q.from ? Math.max(monthIndex(q.from) + 11, current) : current;
  const from = q.from ? monthIndex(q.from) : to - 11;
  if (from > to) throw invalid('OBSERVATORY_PERIOD_INVALID', 'Le mois de début doit précéder le mois de fin.');
  if (to - from + 1 > MAX_PERIOD_MONTHS)
    throw invalid('OBSERVATORY_PERIOD_INVALID', `Une période couvre au plus ${MAX_PERIOD_MONTHS} mois.`);
  const months = to - from + 1;
  const shift = q.compare === 'aucune' ? null : q.compare === 'periode_precedente' ? months : 12;
  const previous = shift === null ? null : { from: from - shift, to: to - shift };
  return {
    from,
    to,
    previous,
    view: {
      from: monthOf(from),
      to: monthOf(to),
      months,
      previousFrom: previous ? monthOf(previous.from) : null,
      previousTo: previous ? monthOf(previous.to) : null,
    },
  };
}

/** The first and last months to read to cover a period and its comparison. */
export function readRange(p: ResolvedPeriod): { from: number; to: number } {
  return { from: Math.min(p.from, p.previous?.from ?? p.from), to: Math.max(p.to, p.previous?.to ?? p.to) };
}

export const inPeriod = (m: number, p: { from: number; to: number } | null) => !!p && m >= p.from && m <= p.to;

/** Parses a `date` read back from PostgreSQL (string or Date) into a month index. */
export function monthOfDate(d: string | Date): number {
  if (typeof d === 'string') return monthIndex(d.slice(0, 7));
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** The nearest-rank percentile (as percentile_disc) of a histogram {value → count}, or null when empty. */
export function histogramPercentile(histogram: Map<number, number>, fraction: number): number | null {
  let total = 0;
  for (const n of histogram.values()) total += n;
  if (total <= 0) return null;
  const rank = Math.max(1, Math.ceil(fraction * total));
  let seen = 0;
  for (const value of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(value) ?? 0;
    if (seen >= rank) return value;
  }
  return null;
}
