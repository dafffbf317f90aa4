/**
 * Converts the opening hours of the ANCT France Services CSV (one free-text French cell per
 * weekday, h_lundi … h_samedi, no Sunday) into an OSM `opening_hours` value. Nothing is invented
 * and nothing silently dropped: a cell we cannot read with certainty is reported, and then the row
 * gets no hours at all (a person reviews it).
 *
 * A cell is read as a list of clock times paired in order (start, end, start, end…): the
 * separators between ranges in the file are too varied ("9h/12h - 14h/18h" uses "/" inside a range
 * and "-" between them) to mean anything else. Around the times only connectors are allowed
 * (-, –, —, à, de, et, /, ",", ";", spaces), plus, once, at the end: "sur RDV"-like text (the
 * whole day is by appointment), "sans RDV"/"accueil libre"/"en continu" (plain opening), or "le
 * premier samedi du mois"-like text (Sa[1]). Any other word makes the cell unconvertible.
 * Empty cells carry no information; "-" and "fermé" mean closed.
 */
import { validateOpeningHours } from '../../../platform/calendar/opening-hours.ts';

export const FRENCH_DAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'] as const;
export type FrenchDay = (typeof FRENCH_DAYS)[number];
const OSM_DAYS: Record<FrenchDay, string> = { lundi: 'Mo', mardi: 'Tu', mercredi: 'We', jeudi: 'Th', vendredi: 'Fr', samedi: 'Sa' };

/** Minutes since midnight, [start, end). */
export type MinuteRange = [number, number];

export type DayCell =
  | { kind: 'empty' }
  | { kind: 'closed' }
  | { kind: 'hours'; ranges: MinuteRange[]; appointment: boolean; nth?: number[] }
  | { kind: 'unconvertible'; reason: string };

export interface HoursProblem {
  day: FrenchDay;
  value: string;
  reason: string;
}

export interface WeekHoursConversion {
  openingHours: string | null;
  problems: HoursProblem[];
  /** Days whose cell was empty (no information): they get no rule, so they read as closed. */
  emptyDays: FrenchDay[];
}

const APPOINTMENT = /^\(?\s*(?:uniquement\s+)?(?:sur|sous|avec)\s+(?:rdv|rv|rendez[\s-]*vous)\s*\)?$/;
const PLAIN = /^\(?\s*(?:sans\s+(?:rdv|rendez[\s-]*vous)|accueil\s+libre|en\s+continu)\s*\)?$/;
const ORDINALS: Record<string, number> = {
  premier: 1,
  '1er': 1,
  '1': 1,
  deuxieme: 2,
  '2eme': 2,
  '2e': 2,
  '2': 2,
  troisieme: 3,
  '3eme': 3,
  '3e': 3,
  '3': 3,
  quatrieme: 4,
  '4eme': 4,
  '4e': 4,
  '4': 4,
  dernier: -1,
};
const ORDINAL = '(premier|1er|deuxieme|2eme|2e|troisieme|3eme|3e|quatrieme|4eme|4e|dernier)';
const NTH = new RegExp(
  `^\\(?\\s*(?:le|les)?\\s*${ORDINAL}(?:\\s*(?:et|,)\\s*${ORDINAL})?\\s*(?:samedis?)?\\s*(?:de\\s+chaque|du|de\\s+chaque)\\s+mois\\s*\\)?$`,
);

function normalize(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '') // accents: "à" → "a", "ème" → "eme"
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u00a0\u202f\s]+/g, ' ')
    .trim();
}

/** Reads the clock times of a text; returns the times and the text with each time replaced by "#". */
function extractTimes(text: string): { times: number[]; rest: string } | { error: string } {
  const times: number[] = [];
  let rest = '';
  let i = 0;
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  const skipSpaces = (j: number) => {
    while (text[j] === ' ') j++;
    return j;
  };
  while (i < text.length) {
    if (text.startsWith('midi', i)) {
      times.push(12 * 60);
      rest += '#';
      i += 4;
      continue;
    }
    if (!isDigit(text[i])) {
      rest += text[i];
      i++;
      continue;
    }
    let j = i;
    while (isDigit(text[j])) j++;
    const hourText = text.slice(i, j);
    if (/[a-gi-z]/.test(text[j] ?? '')) {
      // An ordinal ("1er", "2eme"), not a time.
      rest += hourText;
      i = j;
      continue;
    }
    if (hourText.length > 2) return { error: `nombre « ${hourText} » illisible comme heure` };
    const hour = Number(hourText);
    let minute = 0;
    const k = skipSpaces(j);
    if (text[k] === 'h' || text[k] === ':') {
      const minuteStart = skipSpaces(k + 1);
      let m = minuteStart;
      while (isDigit(text[m])) m++;
      const after = skipSpaces(m);
      // "9 h 30" and "13h 30" are minutes, but in "9-12h 14-18h" the 14 is the next hour: digits
      // apart from the "h" count as minutes only in the spaced style or on a quarter hour (a wrong
      // guess leaves an odd number of times, which is refused).
      const spaced = minuteStart > k + 1;
      const spacedStyle = k > j;
      const value = Number(text.slice(minuteStart, m));
      const plausible = !spaced || spacedStyle || value % 15 === 0;
      if (m - minuteStart === 2 && text[after] !== 'h' && text[after] !== ':' && plausible) {
        minute = Number(text.slice(minuteStart, m));
        j = m;
      } else {
        j = k + 1; // "9 h 12 h": the digits after "h" are the next hour
      }
    }
    if (minute > 59) return { error: `minutes « ${minute} » impossibles` };
    if (hour > 24 || (hour === 24 && minute > 0)) return { error: `heure « ${hourText} » impossible` };
    times.push(hour * 60 + minute);
    rest += '#';
    i = j;
  }
  return { times, rest };
}

/** Reads one cell. */
export function convertDayCell(value: string): DayCell {
  const text = normalize(value);
  if (text === '') return { kind: 'empty' };
  if (/^[-/.]+$/.test(text) || /^(ferme|fermee|fermeture)\.?$/.test(text)) return { kind: 'closed' };
  const extracted = extractTimes(text);
  if ('error' in extracted) return { kind: 'unconvertible', reason: `Horaire illisible : ${extracted.error}.` };
  const { times, rest } = extracted;
  if (times.length === 0) return { kind: 'unconvertible', reason: 'Aucune heure indiquée : impossible de deviner les horaires.' };
  // What follows the last time may qualify the whole day; everything else must be connectors.
  const lastTime = rest.lastIndexOf('#');
  const body = rest.slice(0, lastTime + 1);
  const tail = rest
    .slice(lastTime + 1)
    .replace(/^[\s\-,;./]+/, '')
    .trim();
  if (!/^[#\s\-/,;&+]*$/.test(body.replace(/\b(?:de|et|a)\b/g, ' '))) {
    return { kind: 'unconvertible', reason: 'Texte non reconnu autour des heures : à relire.' };
  }
  let appointment = false;
  let nth: number[] | undefined;
  if (tail !== '') {
    const nthMatch = NTH.exec(tail);
    if (APPOINTMENT.test(tail)) appointment = true;
    else if (PLAIN.test(tail)) appointment = false;
    else if (nthMatch) nth = [nthMatch[1], nthMatch[2]].filter((o): o is string => o !== undefined).map((o) => ORDINALS[o] as number);
    else return { kind: 'unconvertible', reason: 'Texte non reconnu après les heures : à relire.' };
  }
  if (times.length % 2 !== 0) return { kind: 'unconvertible', reason: 'Nombre d’heures impair : une plage n’a pas de fin.' };
  const ranges: MinuteRange[] = [];
  for (let i = 0; i < times.length; i += 2) {
    const start = times[i] as number;
    const end = times[i + 1] as number;
    if (start >= 24 * 60) return { kind: 'unconvertible', reason: 'Une plage commence à 24 h.' };
    if (end <= start) return { kind: 'unconvertible', reason: 'Une plage finit avant de commencer.' };
    const previous = ranges.at(-1);
    if (previous && start < previous[1]) return { kind: 'unconvertible', reason: 'Des plages se chevauchent ou ne sont pas dans l’ordre.' };
    ranges.push([start, end]);
  }
  return { kind: 'hours', ranges, appointment, ...(nth ? { nth } : {}) };
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function daySelector(days: FrenchDay[], nth: number[] | undefined): string {
  if (nth) return days.map((d) => `${OSM_DAYS[d]}[${nth.join(',')}]`).join(',');
  const indexes = days.map((d) => FRENCH_DAYS.indexOf(d));
  const parts: string[] = [];
  let runStart = 0;
  for (let i = 1; i <= indexes.length; i++) {
    if (i < indexes.length && indexes[i] === (indexes[i - 1] as number) + 1) continue;
    const first = FRENCH_DAYS[indexes[runStart] as number] as FrenchDay;
    const last = FRENCH_DAYS[indexes[i - 1] as number] as FrenchDay;
    const length = i - runStart;
    if (length === 1) parts.push(OSM_DAYS[first]);
    else if (length === 2) parts.push(`${OSM_DAYS[first]},${OSM_DAYS[last]}`);
    else parts.push(`${OSM_DAYS[first]}-${OSM_DAYS[last]}`);
    runStart = i;
  }
  return parts.join(',');
}

/** Converts the six cells of a row (see the module comment). */
export function convertWeekHours(cells: Partial<Record<FrenchDay, string | null>>): WeekHoursConversion {
  const problems: HoursProblem[] = [];
  const emptyDays: FrenchDay[] = [];
  const groups = new Map<string, { days: FrenchDay[]; cell: Extract<DayCell, { kind: 'hours' }> }>();
  let anyInformation = false;
  for (const day of FRENCH_DAYS) {
    const value = cells[day] ?? '';
    const cell = convertDayCell(value);
    if (cell.kind === 'empty') {
      emptyDays.push(day);
      continue;
    }
    anyInformation = true;
    if (cell.kind === 'unconvertible') problems.push({ day, value, reason: cell.reason });
    if (cell.kind !== 'hours') continue;
    const key = JSON.stringify([cell.ranges, cell.appointment, cell.nth ?? null]);
    const group = groups.get(key);
    if (group) group.days.push(day);
    else groups.set(key, { days: [day], cell });
  }
  if (!anyInformation || problems.length > 0) return { openingHours: null, problems, emptyDays };
  if (groups.size === 0) return { openingHours: 'off', problems, emptyDays };
  const rules = [...groups.values()].map(({ days, cell }) => {
    const ranges = cell.ranges.map(([s, e]) => `${hhmm(s)}-${hhmm(e)}`).join(',');
    return `${daySelector(days, cell.nth)} ${ranges}${cell.appointment ? ' "sur rendez-vous"' : ''}`;
  });
  const value = rules.join('; ');
  const validation = validateOpeningHours(value);
  if (!validation.ok) {
    // Should not happen: every rule is built from checked ranges. Report rather than store it.
    return { openingHours: null, problems: [{ day: 'lundi', value, reason: validation.message }], emptyDays };
  }
  return { openingHours: validation.normalized, problems, emptyDays };
}
