import { parse } from 'csv-parse/sync';
import type { ImportIssue } from '../../../../contracts/imports.ts';
import { convertWeekHours } from './french-hours.ts';
import { type ImportedContactPoint, ImportFileError, type ImportRecord } from './records.ts';

/**
 * The ANCT list of France Services (open data, e.g. « france-services-2020-01.csv »): one row per
 * labelled place, with its opening hours written in French per weekday and the output of the
 * national address geocoder (result_*). Every cell that cannot be used is imported as null and
 * reported with its line and column; nothing is silently dropped or invented.
 */

const REQUIRED_COLUMNS = ['MATRICULE', 'DEPARTEMENT', 'lib_france_services', 'lib_com'] as const;
export const DAY_COLUMNS = {
  lundi: 'h_lundi',
  mardi: 'h_mardi',
  mercredi: 'h_mercredi',
  jeudi: 'h_jeudi',
  vendredi: 'h_vendredi',
  samedi: 'h_samedi',
} as const;
type Day = keyof typeof DAY_COLUMNS;

/** Below this geocoder score the coordinates are kept but reported for checking. */
export const WEAK_GEOCODING_SCORE = 0.5;

/** Bytes of an uploaded file → text: UTF-8 when valid (BOM dropped), otherwise Latin-1 (Windows-1252). */
export function decodeFile(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

/** `,` or `;`: the one that appears most in the header line, outside quotes. */
export function detectDelimiter(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

interface CsvRow {
  line: number;
  cells: Record<string, string>;
}

/** Parses a CSV file into rows keyed by header, with the line where each record starts. */
export function readCsv(text: string, requiredColumns: readonly string[]): CsvRow[] {
  let parsed: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    parsed = parse(text, {
      bom: true,
      delimiter: detectDelimiter(text.replace(/^\uFEFF/, '')),
      info: true,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: false,
    }) as never;
  } catch (error) {
    const e = error as { code?: string; lines?: number; message: string };
    const where = e.lines ? ` (ligne ${e.lines})` : '';
    const reason =
      e.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'un guillemet ouvert n’est jamais fermé'
        : e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
          ? 'une ligne n’a pas le même nombre de colonnes que l’en-tête'
          : e.code === 'CSV_INVALID_CLOSING_QUOTE'
            ? 'un guillemet fermant est suivi d’autres caractères'
            : 'le fichier n’est pas un CSV lisible';
    throw new ImportFileError(`Fichier CSV illisible${where} : ${reason}.`);
  }
  const [header, ...rest] = parsed;
  if (!header) throw new ImportFileError('Le fichier est vide.');
  const columns = header.record.map((c) => c.trim());
  const missing = requiredColumns.filter((c) => !columns.includes(c));
  if (missing.length) {
    throw new ImportFileError(`Ce fichier n’a pas les colonnes de la liste France Services de l’ANCT : il manque ${missing.join(', ')}.`);
  }
  return rest.map(({ record, info, raw }) => {
    const body = raw.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '');
    const line = info.lines - (body.match(/\n/g)?.length ?? 0);
    const cells: Record<string, string> = {};
    columns.forEach((c, i) => {
      const v = (record[i] ?? '').trim();
      cells[c] = v === 'NA' ? '' : v; // the file was exported from R: NA means empty
    });
    return { line, cells };
  });
}

const collapse = (v: string) => v.replace(/\s+/g, ' ').trim();
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const POSTCODE = /^[0-9]{5}$/;
const INSEE = /^[0-9][0-9AB][0-9]{3}$/;

/** A French phone number, written 02 33 25 00 00; null when it is not one. */
export function normalizePhone(value: string): string | null {
  const digits = value.replace(/[\s.\-()/]/g, '').replace(/^\+33(0)?/, '0');
  if (/^0[1-9][0-9]{8}$/.test(digits)) return digits.replace(/(\d{2})(?=\d)/g, '$1 ');
  if (/^\+(262|269|508|590|594|596|681|687|689)[0-9]{6,9}$/.test(digits)) return digits;
  if (/^[1-9][0-9]{3}$/.test(digits)) return digits; // 3646 and other short service numbers
  return null;
}

const capitalize = (v: string) => (v ? v[0]!.toLocaleUpperCase('fr-FR') + v.slice(1) : v);

/** « Espace labélisé 01/2020 » → 2020-01-01 (the month of the label). */
export function labelDateOf(value: string): string | null {
  const m = /(\d{1,2})\s*\/\s*(\d{4})/.exec(value);
  if (!m) return null;
  const month = Number(m[1]);
  if (month < 1 || month > 12) return null;
  return `${m[2]}-${String(month).padStart(2, '0')}-01`;
}

/** Turns the ANCT file into records to import, with every flagged cell. Throws ImportFileError when unreadable. */
export function parseAnct(text: string): { records: ImportRecord[]; issues: ImportIssue[] } {
  const rows = readCsv(text, REQUIRED_COLUMNS);
  const records: ImportRecord[] = [];
  const issues: ImportIssue[] = [];
  for (const { line, cells } of rows) {
    const flag = (column: string, value: string, reason: string) => issues.push({ line, column, value, reason });
    const matricule = cells.MATRICULE ?? '';
    const name = collapse(cells.lib_france_services ?? '');
    const rawCommune = collapse(cells.lib_com ?? '');
    const department = (cells.DEPARTEMENT ?? '').padStart(2, '0');
    if (!matricule || !name || !rawCommune) {
      const column = !matricule ? 'MATRICULE' : !name ? 'lib_france_services' : 'lib_com';
      flag(column, '', 'valeur obligatoire absente : ligne ignorée');
      records.push({ line, key: matricule, department, values: null });
      continue;
    }
    const values: ImportedContactPoint = {
      matricule,
      name,
      kind: 'france_services',
      commune: rawCommune,
      inseeCode: null,
      labelDate: null,
      address: collapse(cells.ADRESSE ?? '') || null,
      addressComplement: collapse(cells['COMPLEMENT.D.ADRESSE'] ?? '') || null,
      postcode: null,
      latitude: null,
      longitude: null,
      phone: null,
      email: null,
      website: null,
      managingBody: collapse(cells['STRUCTURE.PORTEUSE'] ?? '') || null,
      managingBodyType: capitalize(collapse(cells['TYPE.STRUCTURE.PORTEUSE'] ?? '')) || null,
      openingHours: null,
      hoursReview: null,
      source: 'anct',
    };

    const itinerance = (cells.ITINERANCE ?? '').toLowerCase();
    if (itinerance === 'oui') values.kind = 'bus';
    else if (itinerance && itinerance !== 'non')
      flag('ITINERANCE', cells.ITINERANCE!, 'valeur attendue : « Oui » ou vide ; lieu importé comme fixe');

    const insee = (cells.insee_com ?? '').toUpperCase();
    if (insee && INSEE.test(insee)) values.inseeCode = insee;
    else if (insee) flag('insee_com', insee, 'code INSEE de commune invalide (5 caractères attendus)');

    // The geocoder's spelling of the commune when it matches the same INSEE code (« Valserhône », not « VALSERHÔNE »).
    if (cells.result_city && cells.result_citycode && cells.result_citycode === values.inseeCode) values.commune = cells.result_city;

    const postcode = cells.CODE_POSTAL ?? '';
    if (POSTCODE.test(postcode)) values.postcode = postcode;
    else if (postcode) flag('CODE_POSTAL', postcode, 'code postal invalide (5 chiffres attendus)');

    const email = (cells['CONTACT.MAIL'] ?? '').toLowerCase();
    if (EMAIL.test(email) && email.length <= 254) values.email = email;
    else if (email) flag('CONTACT.MAIL', cells['CONTACT.MAIL']!, 'adresse e-mail invalide');

    const phone = cells.TELEPHONE ?? '';
    if (phone) {
      values.phone = normalizePhone(phone);
      if (!values.phone) flag('TELEPHONE', phone, 'numéro de téléphone français invalide');
    }

    const label = cells.LABELISATION ?? '';
    if (label) {
      values.labelDate = labelDateOf(label);
      if (!values.labelDate) flag('LABELISATION', label, 'date de labellisation illisible (attendu : « … MM/AAAA »)');
    }

    const lat = cells.latitude ?? '';
    const lon = cells.longitude ?? '';
    if (lat || lon) {
      const la = Number(lat.replace(',', '.'));
      const lo = Number(lon.replace(',', '.'));
      if (!lat || !Number.isFinite(la) || la < -90 || la > 90) flag('latitude', lat, 'latitude invalide : coordonnées non importées');
      else if (!lon || !Number.isFinite(lo) || lo < -180 || lo > 180)
        flag('longitude', lon, 'longitude invalide : coordonnées non importées');
      else {
        values.latitude = la;
        values.longitude = lo;
        const score = Number(cells.result_score);
        if (cells.result_score && Number.isFinite(score) && score < WEAK_GEOCODING_SCORE) {
          flag(
            'result_score',
            cells.result_score,
            `géocodage peu fiable (score ${String(score).replace('.', ',')}, type ${cells.result_type || 'inconnu'}) : position à vérifier`,
          );
        }
      }
    }

    const week: Partial<Record<Day, string>> = {};
    for (const [day, column] of Object.entries(DAY_COLUMNS) as [Day, string][]) if (cells[column]) week[day] = cells[column];
    const filled = Object.keys(week).length;
    let converted = 0;
    let unconverted = 0;
    if (filled) {
      const result = convertWeekHours(week);
      for (const p of result.problems) {
        const day = p.day as Day;
        flag(DAY_COLUMNS[day] ?? `h_${p.day}`, p.value, p.reason);
      }
      unconverted = result.problems.length;
      if (result.openingHours) {
        values.openingHours = result.openingHours;
        converted = filled - unconverted;
      }
      if (!result.openingHours || unconverted) {
        values.hoursReview = `Horaires de la liste ANCT à vérifier : ${
          result.problems.map((p) => `${p.day} « ${p.value} » (${p.reason})`).join(' ; ') || 'conversion impossible'
        }.`;
      }
    }
    records.push({ line, key: matricule, department, values, hoursCells: { converted, unconverted } });
  }
  return { records, issues };
}
