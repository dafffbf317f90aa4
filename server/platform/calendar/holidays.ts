/**
 * French public holidays ("jours fériés") and working days ("jours ouvrés"), per holiday zone.
 * Pure: dates are local calendar dates of the territory as ISO strings (YYYY-MM-DD); converting
 * an instant to the territory's date is the caller's job (time zone of the territory).
 *
 * Sources: Code du travail L3133-1 (11 national days), L3134-13 (Alsace-Moselle adds Good Friday
 * and 26 December), L3422-2 and décret 83-1003 (commemoration of the abolition of slavery in
 * each overseas department and collectivity).
 */
export const holidayZones = [
  'metropole',
  'alsace-moselle',
  'guadeloupe',
  'martinique',
  'guyane',
  'reunion',
  'mayotte',
  'saint-barthelemy',
  'saint-martin',
] as const;
export type HolidayZone = (typeof holidayZones)[number];

const ALSACE_MOSELLE = new Set(['57', '67', '68']);
const OVERSEAS: Record<string, HolidayZone> = {
  '971': 'guadeloupe',
  '972': 'martinique',
  '973': 'guyane',
  '974': 'reunion',
  '976': 'mayotte',
  '977': 'saint-barthelemy',
  '978': 'saint-martin',
};

/** The holiday zone of a département (or overseas collectivity) code: '67' → alsace-moselle. */
export function holidayZoneOf(departmentCode: string): HolidayZone {
  if (ALSACE_MOSELLE.has(departmentCode)) return 'alsace-moselle';
  return OVERSEAS[departmentCode] ?? 'metropole';
}

/** Abolition of slavery, by overseas zone (month, day). */
const ABOLITION: Partial<Record<HolidayZone, [number, number]>> = {
  guadeloupe: [5, 27],
  martinique: [5, 22],
  guyane: [6, 10],
  reunion: [12, 20],
  mayotte: [4, 27],
  'saint-barthelemy': [10, 9],
  'saint-martin': [5, 28],
};

export interface Holiday {
  date: string;
  name: string;
}

const iso = (year: number, month: number, day: number) =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** Days since 1970-01-01 of a calendar date (no time zone involved). */
const dayNumber = (date: string) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
};
const fromDayNumber = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
const shift = (date: string, days: number) => fromDayNumber(dayNumber(date) + days);

/** Easter Sunday of the Gregorian calendar (anonymous Gregorian algorithm, "Meeus/Jones/Butcher"). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(year, month, day);
}

const cache = new Map<string, Holiday[]>();

/** The public holidays of a year in a zone, sorted by date. */
export function publicHolidays(year: number, zone: HolidayZone): Holiday[] {
  const key = `${year}:${zone}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const easter = easterSunday(year);
  const days: Holiday[] = [
    { date: iso(year, 1, 1), name: 'Jour de l’an' },
    { date: shift(easter, 1), name: 'Lundi de Pâques' },
    { date: iso(year, 5, 1), name: 'Fête du Travail' },
    { date: iso(year, 5, 8), name: 'Victoire 1945' },
    { date: shift(easter, 39), name: 'Ascension' },
    { date: shift(easter, 50), name: 'Lundi de Pentecôte' },
    { date: iso(year, 7, 14), name: 'Fête nationale' },
    { date: iso(year, 8, 15), name: 'Assomption' },
    { date: iso(year, 11, 1), name: 'Toussaint' },
    { date: iso(year, 11, 11), name: 'Armistice 1918' },
    { date: iso(year, 12, 25), name: 'Noël' },
  ];
  if (zone === 'alsace-moselle') {
    days.push({ date: shift(easter, -2), name: 'Vendredi saint' }, { date: iso(year, 12, 26), name: 'Saint-Étienne' });
  }
  const abolition = ABOLITION[zone];
  if (abolition) days.push({ date: iso(year, abolition[0], abolition[1]), name: 'Abolition de l’esclavage' });
  // Two holidays can fall on the same day (Ascension on 1 or 8 May): keep one date, both names.
  const byDate = new Map<string, string>();
  for (const day of days) byDate.set(day.date, byDate.has(day.date) ? `${byDate.get(day.date)} ; ${day.name}` : day.name);
  const result = [...byDate].map(([date, name]) => ({ date, name })).sort((x, y) => x.date.localeCompare(y.date));
  cache.set(key, result);
  return result;
}

export function isPublicHoliday(date: string, zone: HolidayZone): boolean {
  return publicHolidays(Number(date.slice(0, 4)), zone).some((h) => h.date === date);
}

/** Monday to Friday and not a public holiday of the zone. */
export function isWorkingDay(date: string, zone: HolidayZone): boolean {
  const weekday = (dayNumber(date) + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  return weekday !== 0 && weekday !== 6 && !isPublicHoliday(date, zone);
}

/** The date `count` working days after `date` (before it when negative); `date` itself is not counted. */
export function addWorkingDays(date: string, count: number, zone: HolidayZone): string {
  if (!Number.isInteger(count)) throw new RangeError('count must be an integer');
  let current = date;
  let left = Math.abs(count);
  const step = count < 0 ? -1 : 1;
  while (left > 0) {
    current = shift(current, step);
    if (isWorkingDay(current, zone)) left--;
  }
  return current;
}

/** Working days in the half-open interval (from, to]: how many working days have passed. */
export function workingDaysBetween(from: string, to: string, zone: HolidayZone): number {
  const start = dayNumber(from);
  const end = dayNumber(to);
  const sign = end < start ? -1 : 1;
  let count = 0;
  for (let n = Math.min(start, end) + 1; n <= Math.max(start, end); n++) if (isWorkingDay(fromDayNumber(n), zone)) count++;
  return sign * count;
}
