import type { Period } from '../../../contracts/observatory.ts';

/** Numbers, shares, durations and months written the French way (« 12 340 », « 18 % », « 2,5 jours »). */

const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 0 });
const signedPercent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' });

const DASH = '—';

export const formatCount = (n: number | null | undefined) => (n === null || n === undefined ? DASH : integer.format(n));

/** A share from 0 to 1 as a whole percentage; a share under 1 % but above 0 reads « moins de 1 % ». */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined) return DASH;
  if (share > 0 && share < 0.005) return `moins de ${percent.format(0.01)}`;
  return percent.format(share);
}

/** A growth rate (0.18 → « +18 % », −0.05 → « −5 % »). */
export const formatGrowth = (growth: number | null | undefined) =>
  growth === null || growth === undefined ? DASH : signedPercent.format(growth).replace('-', '−');

/** Working days with one decimal (« 1 jour », « 2,5 jours »); under two is singular in French. */
export function formatDays(days: number | null | undefined): string {
  if (days === null || days === undefined) return DASH;
  return `${decimal.format(days)} ${Math.abs(days) < 2 ? 'jour' : 'jours'}`;
}

/** Working days (« 1 jour ouvré », « 2,5 jours ouvrés »). */
export function formatWorkingDays(days: number | null | undefined): string {
  if (days === null || days === undefined) return DASH;
  return `${formatDays(days)} ${Math.abs(days) < 2 ? 'ouvré' : 'ouvrés'}`;
}

/** Minutes, and hours past an hour (« 18 min », « 1 h 05 »). */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return DASH;
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')}`;
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const SHORT_MONTHS = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];

const split = (month: string) => {
  const [y, m] = month.split('-');
  return { year: Number(y), index: Number(m) - 1 };
};

/** « 2026-03 » → « mars 2026 ». */
export const monthLabel = (month: string) => {
  const { year, index } = split(month);
  return `${MONTHS[index] ?? month} ${year}`;
};

/** « 2026-03 » → « mars » (or « mars 26 » when the axis spans two years). */
export const shortMonthLabel = (month: string, withYear = false) => {
  const { year, index } = split(month);
  const name = SHORT_MONTHS[index] ?? month;
  return withYear ? `${name} ${String(year).slice(2)}` : name;
};

/**
 * A period of whole months: « en mars 2026 », « en 2026 » (a whole calendar year),
 * « de janvier à juin 2026 », « de novembre 2025 à octobre 2026 ».
 */
export function periodLabel(from: string, to: string): string {
  const a = split(from);
  const b = split(to);
  if (from === to) return `en ${monthLabel(from)}`;
  if (a.year === b.year && a.index === 0 && b.index === 11) return `en ${a.year}`;
  if (a.year === b.year) return `de ${MONTHS[a.index]} à ${monthLabel(to)}`;
  return `de ${monthLabel(from)} à ${monthLabel(to)}`;
}

/** The comparison period, to follow « par rapport à » (« 2025 », « la période de janvier à juin 2025 »); null without. */
export function comparisonLabel(period: Period): string | null {
  if (!period.previousFrom || !period.previousTo) return null;
  if (period.previousFrom === period.previousTo) return monthLabel(period.previousFrom);
  const text = periodLabel(period.previousFrom, period.previousTo);
  if (/^en \d{4}$/.test(text)) return text.slice(3);
  return `la période ${text}`;
}
