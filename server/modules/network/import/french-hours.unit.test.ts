import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateOpeningHours } from '../../../platform/calendar/opening-hours.ts';
import { convertDayCell, convertWeekHours, FRENCH_DAYS, type MinuteRange } from './french-hours.ts';

// The real ANCT sample, kept in the repository as a test fixture.
const SAMPLE = new URL('./fixtures/france-services-2020-01.csv', import.meta.url);

describe('convertDayCell', () => {
  it('reads the common styles', () => {
    expect(convertDayCell('9h30 – 12h15 / 13h45 – 16h30')).toEqual({
      kind: 'hours',
      ranges: [
        [570, 735],
        [825, 990],
      ],
      appointment: false,
    });
    expect(convertDayCell('8h-12h30')).toEqual({ kind: 'hours', ranges: [[480, 750]], appointment: false });
    expect(convertDayCell('9 h 12 h / 14 h 17 h ')).toEqual({
      kind: 'hours',
      ranges: [
        [540, 720],
        [840, 1020],
      ],
      appointment: false,
    });
    expect(convertDayCell('de 9h à midi et de 14h à 17h')).toEqual({
      kind: 'hours',
      ranges: [
        [540, 720],
        [840, 1020],
      ],
      appointment: false,
    });
    expect(convertDayCell('9-12 :30/13 :30-17')).toEqual({
      kind: 'hours',
      ranges: [
        [540, 750],
        [810, 1020],
      ],
      appointment: false,
    });
    expect(convertDayCell('9h/12h - 14h/18h')).toEqual({
      kind: 'hours',
      ranges: [
        [540, 720],
        [840, 1080],
      ],
      appointment: false,
    });
    expect(convertDayCell('9h-12h; 13h-17h')).toEqual({
      kind: 'hours',
      ranges: [
        [540, 720],
        [780, 1020],
      ],
      appointment: false,
    });
    expect(convertDayCell('10h-14h')).toEqual({ kind: 'hours', ranges: [[600, 840]], appointment: false });
    expect(convertDayCell('8 h 30 à 17 h 30 en continu')).toEqual({ kind: 'hours', ranges: [[510, 1050]], appointment: false });
  });

  it('reads appointments and monthly saturdays', () => {
    expect(convertDayCell('9h-12h / 14h-17h sur RDV')).toEqual({
      kind: 'hours',
      ranges: [
        [540, 720],
        [840, 1020],
      ],
      appointment: true,
    });
    expect(convertDayCell('9h - 12h / 13h30 - 16h30 (sous RDV)')).toMatchObject({ appointment: true });
    expect(convertDayCell('9h – 12h le premier samedi de chaque mois')).toEqual({
      kind: 'hours',
      ranges: [[540, 720]],
      appointment: false,
      nth: [1],
    });
    expect(convertDayCell('10h - 13h (1er samedi du mois)')).toMatchObject({ nth: [1] });
    expect(convertDayCell('9h-12h les 2ème et 4ème du mois')).toMatchObject({ nth: [2, 4] });
  });

  it('tells empty from closed', () => {
    expect(convertDayCell('')).toEqual({ kind: 'empty' });
    expect(convertDayCell('  \n')).toEqual({ kind: 'empty' });
    expect(convertDayCell('-')).toEqual({ kind: 'closed' });
    expect(convertDayCell('–')).toEqual({ kind: 'closed' });
    expect(convertDayCell('Fermé')).toEqual({ kind: 'closed' });
  });

  it('refuses what it cannot read for sure, with a French reason', () => {
    for (const value of [
      'Après-midi sur RDV',
      'Sur RDV',
      '9h-12h30 – 1 samedi sur 2',
      '9h/12h - 14h/18h (sur Rdv l’après-midi)',
      '12h-9h',
      '9h-25h',
      '9h-12h70',
      '9h-12h / 11h-14h',
      '9h-12h / 14h',
      'Juin à septembre : 9h-12h',
      '9h-12h30 (avec rdv) 14h-16h30 (sans rdv)',
      '8h30-11h-45 et 13h30-17h15',
      '9-12h 15-18h',
    ]) {
      const cell = convertDayCell(value);
      expect(cell.kind, value).toBe('unconvertible');
      if (cell.kind === 'unconvertible') expect(cell.reason).toMatch(/[a-zé]/);
    }
  });
});

describe('convertWeekHours', () => {
  it('groups days and keeps appointments and monthly rules apart', () => {
    expect(
      convertWeekHours({
        lundi: '9h-12h/14h-17h',
        mardi: '9h-12h / 14h-17h',
        mercredi: '9h - 12h et 14h - 17h',
        jeudi: '9h-12h',
        vendredi: '9h-12h/14h-17h',
        samedi: '-',
      }),
    ).toEqual({ openingHours: 'Mo-We,Fr 09:00-12:00,14:00-17:00; Th 09:00-12:00', problems: [], emptyDays: [] });
    expect(
      convertWeekHours({
        lundi: '9h-12h',
        mardi: '9h-12h',
        mercredi: '14h-17h sur RDV',
        samedi: '9h – 12h le premier samedi de chaque mois',
      }),
    ).toEqual({
      openingHours: 'Mo,Tu 09:00-12:00; We 14:00-17:00 "sur rendez-vous"; Sa[1] 09:00-12:00',
      problems: [],
      emptyDays: ['jeudi', 'vendredi'],
    });
  });

  it('gives no hours when a cell cannot be read or when there is no information at all', () => {
    expect(convertWeekHours({ lundi: '9h-12h', mardi: 'Après-midi sur RDV', samedi: 'Sur RDV' })).toEqual({
      openingHours: null,
      problems: [
        { day: 'mardi', value: 'Après-midi sur RDV', reason: expect.any(String) },
        { day: 'samedi', value: 'Sur RDV', reason: expect.any(String) },
      ],
      emptyDays: ['mercredi', 'jeudi', 'vendredi'],
    });
    expect(convertWeekHours({})).toEqual({ openingHours: null, problems: [], emptyDays: [...FRENCH_DAYS] });
    expect(convertWeekHours({ lundi: 'fermé', samedi: '-' }).openingHours).toBe('off');
  });

  it('converts the whole ANCT sample: every cell converted (and valid) or reported', () => {
    const rows = parse(fs.readFileSync(SAMPLE), { columns: true, bom: true }) as Record<string, string>[];
    let nonEmpty = 0;
    let hours = 0;
    let closed = 0;
    let unconverted = 0;
    let rowsWithHours = 0;
    let rowsToReview = 0;
    let rowsWithoutInformation = 0;
    for (const row of rows) {
      const cells = Object.fromEntries(FRENCH_DAYS.map((day) => [day, row[`h_${day}`] ?? '']));
      const result = convertWeekHours(cells);
      for (const day of FRENCH_DAYS) {
        const value = cells[day] as string;
        const cell = convertDayCell(value);
        if (cell.kind === 'empty') continue;
        nonEmpty++;
        if (cell.kind === 'hours') hours++;
        if (cell.kind === 'closed') closed++;
        if (cell.kind === 'unconvertible') {
          unconverted++;
          expect(result.problems).toContainEqual({ day, value, reason: cell.reason });
        }
      }
      if (result.openingHours !== null) {
        rowsWithHours++;
        expect(validateOpeningHours(result.openingHours)).toMatchObject({ ok: true, normalized: result.openingHours });
      } else if (result.problems.length > 0) rowsToReview++;
      else rowsWithoutInformation++;
    }
    const counts = { rows: rows.length, nonEmpty, hours, closed, unconverted, rowsWithHours, rowsToReview, rowsWithoutInformation };
    console.info('ANCT sample hours:', counts);
    expect(counts).toEqual({
      rows: 483,
      nonEmpty: 2314,
      hours: 1885,
      closed: 348,
      unconverted: 81,
      rowsWithHours: 352,
      rowsToReview: 34,
      rowsWithoutInformation: 97,
    });
  });
});

describe('round trip', () => {
  const hm = (m: number, style: number) => {
    const h = Math.floor(m / 60);
    const min = m % 60;
    switch (style) {
      case 0:
        return min === 0 ? `${h}h` : `${h}h${String(min).padStart(2, '0')}`;
      case 1:
        return `${String(h).padStart(2, '0')}h${String(min).padStart(2, '0')}`;
      case 2:
        return min === 0 ? `${h} h` : `${h} h ${String(min).padStart(2, '0')}`;
      case 3:
        return `${h}:${String(min).padStart(2, '0')}`;
      default:
        return `${h}H${String(min).padStart(2, '0')}`;
    }
  };
  const ranges = fc.uniqueArray(fc.integer({ min: 0, max: 95 }), { minLength: 2, maxLength: 8 }).map((bounds) => {
    const sorted = [...bounds].sort((a, b) => a - b);
    const result: MinuteRange[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) result.push([(sorted[i] as number) * 15, (sorted[i + 1] as number) * 15]);
    return result;
  });

  it('formatting ranges in French styles converts back to the same ranges', () => {
    fc.assert(
      fc.property(
        ranges,
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom(' - ', '-', ' – ', ' — ', ' à ', '–'),
        fc.constantFrom(' / ', '/', ' et ', ', ', ' ; ', '  ', ' et de '),
        fc.constantFrom('', 'de '),
        (list, style, dash, between, prefix) => {
          const text = prefix + list.map(([s, e]) => `${hm(s, style)}${dash}${hm(e, style)}`).join(between);
          expect(convertDayCell(text), text).toEqual({ kind: 'hours', ranges: list, appointment: false });
          const week = convertWeekHours({ lundi: text });
          expect(week.openingHours, text).not.toBeNull();
          expect(validateOpeningHours(week.openingHours as string).ok).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
