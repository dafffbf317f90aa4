import { type SQL, sql } from 'drizzle-orm';
import type {
  CommuneSuggestion,
  Coordinates,
  FinderOrigin,
  FinderQuery,
  FinderResponse,
  FinderResult,
  OpenStatus,
  PublicBusStop,
  PublicContactPoint,
  PublicScheduleDay,
} from '../../../contracts/finder.ts';
import type { AppContext } from '../../app-context.ts';
import { holidayZoneOf } from '../../platform/calendar/holidays.ts';
import { evaluateOpeningHours, type OpeningContext, weekSchedule } from '../../platform/calendar/opening-hours.ts';
import { addDays, localDate, weekdayIndex } from '../../platform/calendar/zoned-time.ts';
import { AppError } from '../../platform/errors.ts';
import { type Commune, communeByInsee, communesByPostcode, nearbyByPostcode } from '../geo/communes.ts';

/**
 * The public finder: no sign-in, no actor, nothing personal. Contact points nearest a position, a
 * commune or a postcode, and a contact point's public page. Only public fields are selected.
 */

type Db = AppContext['db'];

/** Kilometres per degree of latitude (mean Earth radius 6,371 km). */
const KM_PER_DEGREE = (Math.PI * 6371) / 180;
/** Search radii tried in turn (km): the bounding box keeps each query on the rows around the person. */
export const RADII = [25, 80, 250, null] as const;
/** Bus stops further ahead than this are not used to place a bus. */
const STOP_HORIZON_DAYS = 60;
/** Rows read per query when the open-now filter runs after the query. */
const OPEN_NOW_CAP = 500;

export const communeSuggestion = (c: Commune): CommuneSuggestion => ({
  inseeCode: c.inseeCode,
  name: c.name,
  postcodes: c.postcodes,
  departmentCode: c.departmentCode,
  coordinates: c.coordinates,
});

const notPlaced = (what: string) =>
  new AppError(
    'COMMUNE_NOT_PLACED',
    422,
    `Nous ne savons pas situer ${what} sur la carte. Utilisez « Me localiser » ou cherchez une commune voisine.`,
  );

/** Middle of the contact points (not closed) of some communes or postcodes, when they have coordinates. */
async function middleOfContactPoints(db: Db, where: SQL, at: Date): Promise<Coordinates | null> {
  const { rows } = await db.execute<{ lat: number | null; lon: number | null }>(sql`
    SELECT avg(latitude)::float8 AS lat, avg(longitude)::float8 AS lon FROM contact_points
    WHERE latitude IS NOT NULL AND (closed_at IS NULL OR closed_at > ${at.toISOString()}) AND ${where}`);
  const row = rows[0];
  return row && row.lat !== null && row.lon !== null ? { lat: Number(row.lat), lon: Number(row.lon) } : null;
}

const mean = (points: Coordinates[]): Coordinates => ({
  lat: points.reduce((s, p) => s + p.lat, 0) / points.length,
  lon: points.reduce((s, p) => s + p.lon, 0) / points.length,
});

async function resolveOrigin(db: Db, q: FinderQuery, at: Date): Promise<FinderOrigin> {
  if (q.lat !== undefined && q.lon !== undefined) {
    return { kind: 'position', coordinates: { lat: q.lat, lon: q.lon }, placedBy: 'position', label: 'votre position', commune: null };
  }
  if (q.insee !== undefined) {
    const commune = communeByInsee(q.insee);
    if (!commune) throw new AppError('COMMUNE_NOT_FOUND', 404, `Aucune commune n’a le code INSEE ${q.insee}.`);
    const label = `${commune.name} (${commune.postcodes[0] ?? commune.departmentCode})`;
    if (commune.coordinates)
      return { kind: 'commune', coordinates: commune.coordinates, placedBy: 'commune', label, commune: communeSuggestion(commune) };
    const middle = await middleOfContactPoints(db, sql`insee_code = ${commune.inseeCode}`, at);
    if (middle) return { kind: 'commune', coordinates: middle, placedBy: 'contact_points', label, commune: communeSuggestion(commune) };
    // Approximate: the placed communes of its postcodes (neighbours, as a postcode groups them).
    const near = nearbyByPostcode(commune);
    if (!near) throw notPlaced(`la commune ${commune.name}`);
    return {
      kind: 'commune',
      coordinates: near.coordinates,
      placedBy: 'postcode',
      postcodes: near.postcodes,
      label,
      commune: communeSuggestion(commune),
    };
  }
  const postcode = q.postcode!;
  const found = communesByPostcode(postcode);
  if (found.length === 0) throw new AppError('POSTCODE_NOT_FOUND', 404, `Aucune commune n’a le code postal ${postcode}.`);
  // Paris, Lyon, Marseille: the arrondissement of the postcode is more precise than the whole city.
  const arrondissements = found.filter((c) => c.kind === 'arrondissement');
  const communes = arrondissements.length ? arrondissements : found;
  const placed = communes.flatMap((c) => (c.coordinates ? [c.coordinates] : []));
  const label = communes.length === 1 ? `${communes[0]!.name} (${postcode})` : `code postal ${postcode}`;
  const commune = communes.length === 1 ? communeSuggestion(communes[0]!) : null;
  if (placed.length) return { kind: 'postcode', coordinates: mean(placed), placedBy: 'commune', label, commune };
  const inseeCodes = sql.join(
    communes.map((c) => sql`${c.inseeCode}`),
    sql`, `,
  );
  const middle = await middleOfContactPoints(db, sql`(postcode = ${postcode} OR insee_code IN (${inseeCodes}))`, at);
  if (!middle) throw notPlaced(`le code postal ${postcode}`);
  return { kind: 'postcode', coordinates: middle, placedBy: 'contact_points', label, commune };
}

export const openingContextOf = (territory: { timezone: string; departmentCode: string }): OpeningContext => ({
  timezone: territory.timezone,
  holidayZone: holidayZoneOf(territory.departmentCode),
});

const UNKNOWN: OpenStatus = { state: 'unknown', comment: null, closesAt: null, nextOpening: null };

/**
 * Evaluations of the opening-hours engine (a few milliseconds each: it looks 60 days ahead), kept
 * until the state next changes (at most an hour): the answer is the same at every instant of that
 * span, so a search reuses it for every place with the same hours, time zone and holiday zone.
 */
const statusCache = new Map<string, { from: number; until: number; status: OpenStatus }>();
const STATUS_CACHE_SIZE = 20_000;
const STATUS_CACHE_MS = 3600_000;

/** Open now, from the OSM opening hours in the territory's calendar; unknown hours stay unknown. */
export function hoursStatus(openingHours: string | null, territory: { timezone: string; departmentCode: string }, at: Date): OpenStatus {
  if (!openingHours) return UNKNOWN;
  const context = openingContextOf(territory);
  const key = `${context.timezone}|${context.holidayZone}|${openingHours}`;
  const t = at.getTime();
  const hit = statusCache.get(key);
  if (hit && hit.from <= t && t < hit.until) return hit.status;
  let status: OpenStatus = UNKNOWN;
  let until = t + STATUS_CACHE_MS;
  try {
    const s = evaluateOpeningHours(openingHours, { ...context, at });
    status = {
      state: s.state,
      comment: s.comment ?? null,
      closesAt: s.closesAt?.toISOString() ?? null,
      nextOpening: s.nextOpening?.toISOString() ?? null,
    };
    if (s.nextChange) until = Math.min(until, s.nextChange.getTime());
  } catch {
    // hours the engine refuses (stored before validation): shown as unknown
  }
  if (statusCache.size >= STATUS_CACHE_SIZE) statusCache.clear();
  statusCache.set(key, { from: t, until, status });
  return status;
}

/** A bus is open while it stands at a stop; otherwise its next opening is its next stop. */
function stopStatus(stop: { startsAt: Date; endsAt: Date }, at: Date): OpenStatus {
  if (stop.startsAt <= at && at < stop.endsAt)
    return { state: 'open', comment: null, closesAt: stop.endsAt.toISOString(), nextOpening: null };
  return { state: 'closed', comment: null, closesAt: null, nextOpening: stop.startsAt.toISOString() };
}

interface CandidateRow extends Record<string, unknown> {
  id: string;
  name: string;
  kind: FinderResult['kind'];
  commune: string;
  address: string | null;
  postcode: string | null;
  opening_hours: string | null;
  territory_slug: string;
  territory_name: string;
  timezone: string;
  department_code: string;
  distance_km: number;
  lat: number;
  lon: number;
  stop_id: string | null;
  stop_commune: string | null;
  stop_insee: string | null;
  stop_place: string | null;
  stop_starts_at: Date | string | null;
  stop_ends_at: Date | string | null;
  stop_note: string | null;
}

const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

/**
 * One query: fixed places by their coordinates and travelling ones (bus) by their upcoming stops,
 * each contact point at its nearest point, by haversine distance, inside a bounding box around
 * the origin when a radius is given.
 */
export function nearestSql(
  origin: Coordinates,
  options: { radiusKm: number | null; at: Date; territory?: string; kind?: string; limit: number },
): SQL {
  const { lat, lon } = origin;
  const at = options.at.toISOString();
  const horizon = new Date(options.at.getTime() + STOP_HORIZON_DAYS * 86_400_000).toISOString();
  const filters = sql.join(
    [
      sql`(cp.closed_at IS NULL OR cp.closed_at > ${at})`,
      options.territory !== undefined ? sql`t.slug = ${options.territory}` : undefined,
      options.kind !== undefined ? sql`cp.kind = ${options.kind}` : undefined,
    ].filter((f): f is SQL => f !== undefined),
    sql` AND `,
  );
  const box = (latColumn: SQL, lonColumn: SQL) => {
    if (options.radiusKm === null) return sql`TRUE`;
    const dLat = options.radiusKm / KM_PER_DEGREE;
    const cos = Math.max(0.01, Math.cos((Math.min(89, Math.abs(lat) + dLat) * Math.PI) / 180));
    const dLon = Math.min(180, options.radiusKm / (KM_PER_DEGREE * cos));
    return sql`${latColumn} BETWEEN ${lat - dLat} AND ${lat + dLat} AND ${lonColumn} BETWEEN ${lon - dLon} AND ${lon + dLon}`;
  };
  const within = options.radiusKm === null ? sql`TRUE` : sql`n.distance_km <= ${options.radiusKm}`;
  return sql`
    WITH candidates AS (
      SELECT cp.id, NULL::uuid AS stop_id, cp.latitude AS lat, cp.longitude AS lon, NULL::timestamptz AS starts_at
      FROM contact_points cp JOIN territories t ON t.id = cp.territory_id
      WHERE cp.kind <> 'bus' AND cp.latitude IS NOT NULL AND ${box(sql`cp.latitude`, sql`cp.longitude`)} AND ${filters}
      UNION ALL
      SELECT bs.contact_point_id, bs.id, bs.latitude, bs.longitude, bs.starts_at
      FROM bus_stops bs JOIN contact_points cp ON cp.id = bs.contact_point_id JOIN territories t ON t.id = cp.territory_id
      WHERE bs.cancelled_at IS NULL AND bs.ends_at > ${at} AND bs.starts_at < ${horizon} AND bs.latitude IS NOT NULL
        AND ${box(sql`bs.latitude`, sql`bs.longitude`)} AND ${filters}
    ), measured AS (
      SELECT c.*, 2 * 6371 * asin(least(1, sqrt(
        power(sin(radians(c.lat - ${lat}::float8) / 2), 2)
        + cos(radians(${lat}::float8)) * cos(radians(c.lat)) * power(sin(radians(c.lon - ${lon}::float8) / 2), 2)
      ))) AS distance_km
      FROM candidates c
    ), nearest AS (
      SELECT DISTINCT ON (id) * FROM measured ORDER BY id, distance_km, starts_at NULLS FIRST
    )
    SELECT cp.id, cp.name, cp.kind, cp.commune, cp.address, cp.postcode, cp.opening_hours,
      t.slug AS territory_slug, t.name AS territory_name, t.timezone, t.department_code,
      n.distance_km, n.lat, n.lon, n.stop_id,
      bs.commune AS stop_commune, bs.insee_code AS stop_insee, bs.place AS stop_place,
      bs.starts_at AS stop_starts_at, bs.ends_at AS stop_ends_at, bs.note AS stop_note
    FROM nearest n
    JOIN contact_points cp ON cp.id = n.id
    JOIN territories t ON t.id = cp.territory_id
    LEFT JOIN bus_stops bs ON bs.id = n.stop_id
    WHERE ${within}
    ORDER BY n.distance_km, cp.name, cp.id
    LIMIT ${options.limit}`;
}

function toResult(row: CandidateRow, at: Date): FinderResult {
  const coordinates = { lat: Number(row.lat), lon: Number(row.lon) };
  const nearStop: PublicBusStop | null =
    row.stop_id && row.stop_starts_at && row.stop_ends_at
      ? {
          id: row.stop_id,
          commune: row.stop_commune ?? '',
          inseeCode: row.stop_insee,
          place: row.stop_place ?? '',
          coordinates,
          startsAt: asDate(row.stop_starts_at).toISOString(),
          endsAt: asDate(row.stop_ends_at).toISOString(),
          note: row.stop_note,
        }
      : null;
  const territory = { timezone: row.timezone, departmentCode: row.department_code };
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    commune: row.commune,
    address: row.address,
    postcode: row.postcode,
    territory: { slug: row.territory_slug, name: row.territory_name, timezone: row.timezone },
    distanceKm: Math.round(Number(row.distance_km) * 100) / 100,
    coordinates,
    open: nearStop
      ? stopStatus({ startsAt: new Date(nearStop.startsAt), endsAt: new Date(nearStop.endsAt) }, at)
      : hoursStatus(row.opening_hours, territory, at),
    nearStop,
  };
}

/** The nearest contact points (not closed), nearest first. */
export async function findContactPoints(ctx: AppContext, q: FinderQuery): Promise<FinderResponse> {
  const at = ctx.clock.now();
  const origin = await resolveOrigin(ctx.db, q, at);
  const openNow = q.openNow === 'true';
  let items: FinderResult[] = [];
  for (const radiusKm of RADII) {
    const { rows } = await ctx.db.execute<CandidateRow>(
      nearestSql(origin.coordinates, { radiusKm, at, territory: q.territory, kind: q.kind, limit: openNow ? OPEN_NOW_CAP : q.limit }),
    );
    items = rows.map((r) => toResult(r, at)).filter((r) => !openNow || r.open.state === 'open');
    // Everything within the radius is found: enough of them means the nearest ones are known.
    if (items.length >= q.limit) break;
  }
  return { origin, items: items.slice(0, q.limit) };
}

const directionsUrl = (c: Coordinates | null) =>
  c
    ? `https://www.openstreetmap.org/directions?route=%3B${c.lat.toFixed(5)}%2C${c.lon.toFixed(5)}#map=15/${c.lat.toFixed(5)}/${c.lon.toFixed(5)}`
    : null;

/** Monday to Sunday of the current week in the territory's calendar; empty days when hours are unknown. */
function currentWeek(openingHours: string | null, territory: { timezone: string; departmentCode: string }, at: Date): PublicScheduleDay[] {
  const today = localDate(at, territory.timezone);
  const monday = addDays(today, -weekdayIndex(today));
  if (openingHours) {
    try {
      return weekSchedule(openingHours, { ...openingContextOf(territory), weekStart: monday }).map((d) => ({
        date: d.date,
        weekday: d.weekday,
        holiday: d.holiday ?? null,
        intervals: d.intervals.map((i) => ({ start: i.start, end: i.end, state: i.kind, comment: i.comment ?? null })),
      }));
    } catch {
      // unknown hours: empty week
    }
  }
  return Array.from({ length: 7 }, (_, i) => ({ date: addDays(monday, i), weekday: i, holiday: null, intervals: [] }));
}

interface PlaceRow extends Record<string, unknown> {
  id: string;
  name: string;
  kind: PublicContactPoint['kind'];
  commune: string;
  insee_code: string | null;
  address: string | null;
  address_complement: string | null;
  postcode: string | null;
  latitude: number | null;
  longitude: number | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  description: string | null;
  accessibility: string | null;
  wheelchair_accessible: boolean | null;
  themes: string[] | string;
  opening_hours: string | null;
  slug: string;
  territory_name: string;
  timezone: string;
  department_code: string;
}

/** Postgres text[] read through the raw driver: an array, or its literal on some paths. */
const textArray = (v: string[] | string | null): string[] => {
  if (Array.isArray(v)) return v;
  if (!v || v === '{}') return [];
  return v
    .slice(1, -1)
    .split(',')
    .map((s) => s.replace(/^"|"$/g, ''));
};

/** A contact point's public page: where, when, who is served there. No referent, no agent, nothing personal. */
export async function publicContactPoint(ctx: AppContext, id: string): Promise<PublicContactPoint> {
  const at = ctx.clock.now();
  const { rows } = await ctx.db.execute<PlaceRow>(sql`
    SELECT cp.id, cp.name, cp.kind, cp.commune, cp.insee_code, cp.address, cp.address_complement, cp.postcode,
      cp.latitude, cp.longitude, cp.phone, cp.email, cp.website, cp.description, cp.accessibility,
      cp.wheelchair_accessible, cp.themes, cp.opening_hours,
      t.slug, t.name AS territory_name, t.timezone, t.department_code
    FROM contact_points cp JOIN territories t ON t.id = cp.territory_id
    WHERE cp.id = ${id} AND (cp.closed_at IS NULL OR cp.closed_at > ${at.toISOString()})`);
  const cp = rows[0];
  if (!cp) throw new AppError('CONTACT_POINT_NOT_FOUND', 404, 'Ce lieu d’accueil n’existe pas ou a fermé.');
  const [partners, stops] = await Promise.all([
    ctx.db.execute<{ name: string; acronym: string; themes: string[] | string; website: string | null; note: string | null }>(sql`
      SELECT po.name, po.acronym, po.themes, po.website, cpp.note
      FROM contact_point_partners cpp JOIN partner_organisations po ON po.id = cpp.organisation_id
      WHERE cpp.contact_point_id = ${id} ORDER BY po.acronym`),
    ctx.db.execute<{
      id: string;
      commune: string;
      insee_code: string | null;
      place: string;
      latitude: number | null;
      longitude: number | null;
      starts_at: Date | string;
      ends_at: Date | string;
      note: string | null;
    }>(sql`
      SELECT id, commune, insee_code, place, latitude, longitude, starts_at, ends_at, note FROM bus_stops
      WHERE contact_point_id = ${id} AND cancelled_at IS NULL AND ends_at > ${at.toISOString()}
      ORDER BY starts_at LIMIT 10`),
  ]);
  const territory = { timezone: cp.timezone, departmentCode: cp.department_code };
  const nextStops: PublicBusStop[] = stops.rows.map((s) => ({
    id: s.id,
    commune: s.commune,
    inseeCode: s.insee_code,
    place: s.place,
    coordinates: s.latitude !== null && s.longitude !== null ? { lat: Number(s.latitude), lon: Number(s.longitude) } : null,
    startsAt: asDate(s.starts_at).toISOString(),
    endsAt: asDate(s.ends_at).toISOString(),
    note: s.note,
  }));
  const coordinates = cp.latitude !== null && cp.longitude !== null ? { lat: Number(cp.latitude), lon: Number(cp.longitude) } : null;
  const firstStop = nextStops[0];
  const travelling = cp.kind === 'bus' || (firstStop !== undefined && !cp.opening_hours);
  const open = travelling
    ? firstStop
      ? stopStatus({ startsAt: new Date(firstStop.startsAt), endsAt: new Date(firstStop.endsAt) }, at)
      : UNKNOWN
    : hoursStatus(cp.opening_hours, territory, at);
  return {
    id: cp.id,
    name: cp.name,
    kind: cp.kind,
    commune: cp.commune,
    inseeCode: cp.insee_code,
    address: cp.address,
    addressComplement: cp.address_complement,
    postcode: cp.postcode,
    coordinates,
    phone: cp.phone,
    email: cp.email,
    website: cp.website,
    description: cp.description,
    accessibility: cp.accessibility,
    wheelchairAccessible: cp.wheelchair_accessible,
    territory: { slug: cp.slug, name: cp.territory_name, timezone: cp.timezone },
    themes: textArray(cp.themes),
    openingHours: cp.opening_hours,
    open,
    week: currentWeek(cp.opening_hours, territory, at),
    partners: partners.rows.map((p) => ({
      name: p.name,
      acronym: p.acronym,
      themes: textArray(p.themes),
      website: p.website,
      note: p.note,
    })),
    nextStops,
    directionsUrl: directionsUrl(travelling ? (firstStop?.coordinates ?? coordinates) : coordinates),
  };
}
