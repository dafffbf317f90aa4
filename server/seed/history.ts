import { and, eq, sql } from 'drizzle-orm';
import { NATIONAL_SHARES } from '../../contracts/observatory.ts';
import type { Executor } from '../db/client.ts';
import { memberships } from '../modules/accounts/accounts.schema.ts';
import { contactPoints, partnerOrganisations, territories } from '../modules/network/network.schema.ts';
import { partnerRequestSettings } from '../modules/requests/requests.schema.ts';
import { activeThemeCodes } from '../modules/visits/taxonomy.service.ts';

/**
 * Past activity of a territory (issue 7): visits and request skeletons over whole years, written
 * by set-based SQL (INSERT … SELECT from generate_series, every draw a hash of the row's index and
 * the seed: no row-by-row JS, the same input gives the same rows). Rows go into the real `visits`
 * and `requests` tables, so the observatory's triggers fill the monthly aggregates as they would
 * for live activity. Used by the demo seed (Perche, Lot) and by the national benchmark.
 */

/** What the generator needs to know of a territory: read by `historyPlan`, or built by hand. */
export interface HistoryPlan {
  territoryId: string;
  timezone: string;
  /** Contact points with their relative size; `bus` ones also log visits at bus stops. */
  contactPoints: { id: string; weight: number; bus: boolean; agentIds: string[] }[];
  /** The territory's partners with their national code, main theme and first-answer deadline (working days). */
  organisations: { id: string; nationalCode: string | null; theme: string | null; firstAnswerDays: number }[];
  /** The theme codes a visit may carry (activeThemeCodes). */
  themes: string[];
}

export interface HistoryVolume {
  /** First day generated (local date, inclusive) and the day after the last one (exclusive), YYYY-MM-DD. */
  from: string;
  to: string;
  /** Visits in a whole first year; later years grow by `growth` a year (0.15 = +15 %). */
  visitsPerYear: number;
  /** Request skeletons in a whole first year (same growth). */
  requestsPerYear: number;
  growth: number;
  /** Request skeletons stop this many days before `to`, so that answers and closures are all in the past. */
  requestMarginDays?: number;
  /** Any integer: another seed gives other (equally plausible) rows. */
  seed: number;
}

/** Share of the visits that name no partner (national figures: about a third). */
export const NO_PARTNER_SHARE = 0.35;

/** Relative size of a contact point by kind (a France Services sees about three times a town hall's visitors). */
const KIND_WEIGHT: Record<string, number> = {
  france_services: 3,
  agence_partenaire: 1.5,
  bureau_de_poste: 1.2,
  antenne: 1,
  association: 0.8,
  mairie: 1,
  bus: 0.8,
};

/**
 * The partners' weights: the five national operators at their national shares (ANTS 19 %,
 * CAF 16 %, CPAM 16 %, DGFiP 15 %, CNAV 14 %), the rest spread evenly over the other partners.
 * Operators the territory lacks leave their share to the others (weights are normalised).
 */
export function partnerWeights(organisations: { nationalCode: string | null }[]): number[] {
  const named = Object.values(NATIONAL_SHARES).reduce((a, b) => a + b, 0);
  const others = organisations.filter((o) => !(o.nationalCode && o.nationalCode in NATIONAL_SHARES)).length;
  return organisations.map((o) =>
    o.nationalCode && o.nationalCode in NATIONAL_SHARES ? NATIONAL_SHARES[o.nationalCode]! : others ? (1 - named) / others : 0,
  );
}

/** [0, w1, w1+w2, …] normalised to 1, without the last bound: `width_bucket(u, bounds)` then draws index i with probability wi. */
export function cumulativeBounds(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new Error('history: weights must not all be zero');
  const bounds: number[] = [];
  let sum = 0;
  for (const w of weights) {
    bounds.push(sum / total);
    sum += w;
  }
  return bounds;
}

/** A stable 31-bit seed from text (FNV-1a), e.g. a territory's slug. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & 0x7fffffff;
}

/** The territory as the generator sees it: contact points (weighted by kind) and their agents, partners, active themes. */
export async function historyPlan(db: Executor, territoryId: string, weights: Record<string, number> = {}): Promise<HistoryPlan> {
  const [territory] = await db.select({ timezone: territories.timezone }).from(territories).where(eq(territories.id, territoryId));
  if (!territory) throw new Error(`history: unknown territory ${territoryId}`);
  const places = await db
    .select({ id: contactPoints.id, name: contactPoints.name, kind: contactPoints.kind })
    .from(contactPoints)
    .where(eq(contactPoints.territoryId, territoryId))
    .orderBy(contactPoints.name, contactPoints.id);
  const agents = await db
    .select({ userId: memberships.userId, contactPointId: memberships.contactPointId })
    .from(memberships)
    .where(and(eq(memberships.territoryId, territoryId), eq(memberships.role, 'agent')))
    .orderBy(memberships.userId);
  const orgs = await db
    .select({
      id: partnerOrganisations.id,
      nationalCode: partnerOrganisations.nationalCode,
      themes: partnerOrganisations.themes,
      firstAnswerDays: partnerRequestSettings.firstAnswerDays,
    })
    .from(partnerOrganisations)
    .leftJoin(partnerRequestSettings, eq(partnerRequestSettings.organisationId, partnerOrganisations.id))
    .where(eq(partnerOrganisations.territoryId, territoryId))
    .orderBy(partnerOrganisations.acronym);
  const themes = [...(await activeThemeCodes(db, territoryId)).keys()].sort();
  const active = new Set(themes);
  return {
    territoryId,
    timezone: territory.timezone,
    contactPoints: places.map((p) => ({
      id: p.id,
      weight: weights[p.name] ?? KIND_WEIGHT[p.kind] ?? 1,
      bus: p.kind === 'bus',
      agentIds: agents.filter((a) => a.contactPointId === p.id).map((a) => a.userId),
    })),
    organisations: orgs.map((o) => ({
      id: o.id,
      nationalCode: o.nationalCode,
      theme: o.themes.find((t) => active.has(t)) ?? null,
      firstAnswerDays: o.firstAnswerDays ?? 4,
    })),
    themes,
  };
}

/** Arrays the SQL reads, as one JSON parameter. */
function planParameters(plan: HistoryPlan) {
  if (!plan.contactPoints.length) throw new Error('history: the territory has no contact point');
  if (!plan.themes.length) throw new Error('history: the territory has no active theme');
  const agentIds: string[] = [];
  const agentFrom: number[] = [];
  const agentCount: number[] = [];
  for (const cp of plan.contactPoints) {
    agentFrom.push(agentIds.length + 1);
    agentCount.push(cp.agentIds.length);
    agentIds.push(...cp.agentIds);
  }
  const organisations = plan.organisations;
  return {
    tz: plan.timezone,
    cpIds: plan.contactPoints.map((c) => c.id),
    cpBounds: cumulativeBounds(plan.contactPoints.map((c) => c.weight)),
    cpBus: plan.contactPoints.map((c) => c.bus),
    agentIds,
    agentFrom,
    agentCount,
    orgIds: organisations.map((o) => o.id),
    orgBounds: organisations.length ? cumulativeBounds(partnerWeights(organisations)) : [],
    orgTheme: organisations.map((o) => o.theme ?? ''),
    orgDays: organisations.map((o) => o.firstAnswerDays),
    themes: plan.themes,
  };
}

/**
 * Days of the years spanned, each with its expected count: a weekday profile (Mondays and
 * Tuesdays busiest, Saturday mornings, no Sundays), low August and Christmas weeks, a few public
 * holidays closed, normalised per whole year and grown year on year. `cut` keeps the days in
 * [from, to) and turns the expected counts into exact integers (floor of the running total), so
 * that the rows of a day are numbered base+1 … base+n without gaps: row i is the i-th of the range.
 */
const calendar = (perYear: string, weekdaysOnly: boolean) =>
  sql.raw(`
  days AS (
    SELECT d::date AS day, extract(isodow FROM d)::int AS dow, extract(year FROM d)::int AS y,
           extract(month FROM d)::int AS m, extract(day FROM d)::int AS dd
    FROM v CROSS JOIN generate_series(make_date(extract(year FROM v.from_day)::int, 1, 1), make_date(extract(year FROM v.to_day)::int, 12, 31), interval '1 day') d
  ), weighted AS (
    SELECT day, y, dow,
      (CASE dow WHEN 1 THEN 1.3 WHEN 2 THEN 1.2 WHEN 3 THEN 1.0 WHEN 4 THEN 1.0 WHEN 5 THEN 0.9 WHEN 6 THEN ${weekdaysOnly ? '0' : '0.35'} ELSE 0 END)
      * (CASE m WHEN 8 THEN 0.45 WHEN 7 THEN 0.85 WHEN 1 THEN 1.1 WHEN 9 THEN 1.1 WHEN 12 THEN CASE WHEN dd >= 22 THEN 0.3 ELSE 1.0 END ELSE 1.0 END)
      * (CASE WHEN (m, dd) IN ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)) THEN 0 ELSE 1 END) AS w
    FROM days
  ), expected AS (
    SELECT day, dow, w / sum(w) OVER (PARTITION BY y) * ${perYear} * power(1 + v.growth, y - extract(year FROM v.from_day)) AS e
    FROM weighted CROSS JOIN v
  ), kept AS (
    SELECT day, dow, floor(sum(e) OVER (ORDER BY day) + 1e-6)::bigint AS upto FROM expected CROSS JOIN v WHERE day >= v.from_day AND day < v.to_day
  ), cut AS (
    SELECT day, dow, coalesce(lag(upto) OVER (ORDER BY day), 0) AS base, upto FROM kept
  )`);

/** Uniform draw k of row `alias`.n in [0, 1): a hash of the row's index and the seed, nothing stored. */
const u = (alias: string, k: number) =>
  sql.raw(`((hashint8extended(${alias}.n, ${alias}.seed * 64 + ${k}) & 2147483647)::float8 / 2147483648.0)`);

/** The plan's arrays, unpacked once per statement. */
const planCte = (params: PlanParameters) => sql`
  p AS (
    SELECT j->>'tz' AS tz, (j->>'territoryId')::uuid AS territory_id,
      ARRAY(SELECT jsonb_array_elements_text(j->'cpIds')::uuid) AS cp_ids,
      ARRAY(SELECT jsonb_array_elements_text(j->'cpBounds')::float8) AS cp_bounds,
      ARRAY(SELECT jsonb_array_elements_text(j->'cpBus')::boolean) AS cp_bus,
      ARRAY(SELECT jsonb_array_elements_text(j->'agentIds')::uuid) AS agent_ids,
      ARRAY(SELECT jsonb_array_elements_text(j->'agentFrom')::int) AS agent_from,
      ARRAY(SELECT jsonb_array_elements_text(j->'agentCount')::int) AS agent_count,
      ARRAY(SELECT jsonb_array_elements_text(j->'orgIds')::uuid) AS org_ids,
      ARRAY(SELECT jsonb_array_elements_text(j->'orgBounds')::float8) AS org_bounds,
      ARRAY(SELECT jsonb_array_elements_text(j->'orgTheme')) AS org_theme,
      ARRAY(SELECT jsonb_array_elements_text(j->'orgDays')::int) AS org_days,
      ARRAY(SELECT jsonb_array_elements_text(j->'themes')) AS themes
    FROM (SELECT ${JSON.stringify(params)}::jsonb AS j) x
  )`;

type PlanParameters = ReturnType<typeof planParameters> & { territoryId: string };

function visitsSql(params: PlanParameters, volume: HistoryVolume) {
  return sql`
    WITH v AS (
      SELECT ${volume.from}::date AS from_day, ${volume.to}::date AS to_day, ${volume.visitsPerYear}::float8 AS per_year,
             ${volume.growth}::float8 AS growth, ${volume.seed}::bigint AS seed
    ), ${planCte(params)}, ${calendar('v.per_year', false)},
    drawn AS (
      SELECT cut.day, cut.dow, cut.base + k AS n, v.seed FROM cut CROSS JOIN v CROSS JOIN LATERAL generate_series(1, cut.upto - cut.base) k
    ), picked AS (
      SELECT d.*,
        width_bucket(${u('d', 1)}, p.cp_bounds) AS cp,
        CASE WHEN cardinality(p.org_ids) = 0 OR ${u('d', 3)} < ${NO_PARTNER_SHARE} THEN NULL ELSE width_bucket(${u('d', 4)}, p.org_bounds) END AS org,
        1 + floor(${u('d', 5)} * cardinality(p.themes))::int AS t1,
        1 + floor(${u('d', 6)} * cardinality(p.themes))::int AS t2
      FROM drawn d CROSS JOIN p
    ), s AS (
      SELECT x.*, p.cp_bus[x.cp] AS bus,
        CASE WHEN x.org IS NOT NULL AND p.org_theme[x.org] <> '' AND ${u('x', 7)} < 0.85 THEN p.org_theme[x.org] ELSE p.themes[x.t1] END AS theme,
        ${u('x', 8)} AS u_minute
      FROM picked x CROSS JOIN p
    )
    INSERT INTO visits (territory_id, contact_point_id, agent_user_id, occurred_at, channel, organisation_ids, theme_codes,
                        actions, autonomy, duration_minutes, created_at, updated_at)
    SELECT p.territory_id, p.cp_ids[s.cp],
      CASE WHEN p.agent_count[s.cp] > 0 THEN p.agent_ids[p.agent_from[s.cp] + floor(${u('s', 2)} * p.agent_count[s.cp])::int]
           ELSE md5('agent:' || p.cp_ids[s.cp]::text || ':' || (s.n % 3)::text)::uuid END,
      t.at, t.channel,
      CASE WHEN s.org IS NULL THEN '{}'::uuid[] ELSE ARRAY[p.org_ids[s.org]] END,
      CASE WHEN ${u('s', 9)} < 0.12 AND p.themes[s.t2] <> s.theme THEN ARRAY[s.theme, p.themes[s.t2]] ELSE ARRAY[s.theme] END,
      CASE WHEN t.a2 IS NOT NULL AND t.a2 <> t.a1 THEN ARRAY[t.a1, t.a2] ELSE ARRAY[t.a1] END,
      CASE WHEN ${u('s', 10)} < 0.05 THEN NULL
           ELSE (ARRAY['seul', 'avec_aide', 'fait_pour'])[width_bucket(${u('s', 11)}, ARRAY[0, 0.3, 0.8]::float8[])] END,
      CASE WHEN ${u('s', 12)} < 0.05 THEN NULL ELSE 5 + round(55 * ${u('s', 13)} * ${u('s', 14)})::int END,
      t.at, t.at
    FROM s CROSS JOIN p CROSS JOIN LATERAL (
      SELECT
        -- Opening hours: 9:00–12:00 and 14:00–17:00 on weekdays (60 % of visits in the morning), 9:00–12:00 on Saturdays.
        ((s.day + CASE WHEN s.dow = 6 THEN time '09:00' + s.u_minute * interval '3 hours'
                       WHEN s.u_minute < 0.6 THEN time '09:00' + (s.u_minute / 0.6) * interval '3 hours'
                       ELSE time '14:00' + ((s.u_minute - 0.6) / 0.4) * interval '3 hours' END) AT TIME ZONE p.tz) AS at,
        CASE WHEN s.bus THEN (ARRAY['arret_bus', 'sur_place', 'telephone'])[width_bucket(${u('s', 15)}, ARRAY[0, 0.7, 0.85]::float8[])]
             ELSE (ARRAY['sur_place', 'telephone', 'courriel', 'visio'])[width_bucket(${u('s', 15)}, ARRAY[0, 0.68, 0.9, 0.96]::float8[])] END AS channel,
        (ARRAY['information', 'aide_demarche_en_ligne', 'dossier_prepare', 'rendez_vous_pris', 'reorientation', 'saisine_partenaire'])
          [width_bucket(${u('s', 16)}, ARRAY[0, 0.4, 0.7, 0.8, 0.88, 0.95]::float8[])] AS a1,
        CASE WHEN ${u('s', 17)} < 0.2
             THEN (ARRAY['information', 'aide_demarche_en_ligne', 'rendez_vous_pris', 'reorientation'])[1 + floor(${u('s', 18)} * 4)::int] END AS a2
    ) t`;
}

function requestsSql(params: PlanParameters, volume: HistoryVolume, to: string) {
  return sql`
    WITH v AS (
      SELECT ${volume.from}::date AS from_day, ${to}::date AS to_day, ${volume.requestsPerYear}::float8 AS per_year,
             ${volume.growth}::float8 AS growth, ${volume.seed}::bigint + 7919 AS seed
    ), ${planCte(params)}, ${calendar('v.per_year', true)},
    drawn AS (
      SELECT cut.day, cut.dow, cut.base + k AS n, v.seed FROM cut CROSS JOIN v CROSS JOIN LATERAL generate_series(1, cut.upto - cut.base) k
    ), s AS (
      SELECT d.*, width_bucket(${u('d', 1)}, p.cp_bounds) AS cp, width_bucket(${u('d', 2)}, p.org_bounds) AS org,
        -- Time to the first answer, log-normal around 2 working days (some late ones), between 0.1 and 30 days.
        least(300, greatest(1, round(20 * exp(0.6 * sqrt(-2 * ln(1 - ${u('d', 3)})) * cos(2 * pi() * ${u('d', 4)})))))::int AS tenths
      FROM drawn d CROSS JOIN p
    ), t AS (
      SELECT s.*, p.org_days[s.org] AS days,
        ((s.day + time '09:00' + ${u('s', 5)} * interval '8 hours') AT TIME ZONE p.tz) AS sent_at,
        ${u('s', 6)} < 0.04 AS unanswered,
        CASE WHEN p.org_theme[s.org] <> '' AND ${u('s', 7)} < 0.85 THEN p.org_theme[s.org]
             ELSE p.themes[1 + floor(${u('s', 8)} * cardinality(p.themes))::int] END AS theme,
        CASE WHEN p.agent_count[s.cp] > 0 THEN p.agent_ids[p.agent_from[s.cp] + floor(${u('s', 9)} * p.agent_count[s.cp])::int] END AS agent,
        ${u('s', 10)} AS u_use, ${u('s', 11)} AS u_close
      FROM s CROSS JOIN p
    ), w AS (
      -- Working days to calendar days from a weekday (requests are sent Monday to Friday).
      SELECT t.*, t.days + 2 * ((t.dow - 1 + t.days) / 5) AS due_days,
        t.tenths / 10 + 2 * ((t.dow - 1 + t.tenths / 10) / 5) AS answer_days
      FROM t
    ), f AS (
      SELECT w.*, w.sent_at + w.due_days * interval '1 day' AS due_at,
        CASE WHEN w.unanswered THEN NULL ELSE w.sent_at + w.answer_days * interval '1 day' + (w.tenths % 10) * interval '54 minutes' END AS answered_at,
        -- As formatReference: 6 digits at least, more past 999,999 (lpad alone would cut them).
        nextval('request_reference_seq') AS seq
      FROM w
    ), g AS (
      SELECT f.*, coalesce(f.answered_at, f.due_at + interval '10 days') + (1 + floor(f.u_close * 10)) * interval '1 day' AS closed_at,
        'RLS-' || extract(year FROM f.day) || '-' || lpad(f.seq::text, greatest(6, length(f.seq::text)), '0') AS reference
      FROM f ORDER BY f.n
    )
    INSERT INTO requests (territory_id, reference, status_code_hash, contact_point_id, created_by, organisation_id, theme_code,
      subject, description, status, first_answer_days, follow_up_days, due_at, sent_at, first_answered_at, first_answer_tenths,
      first_answer_in_time, last_message_at, closed_at, archived_at, wiped_at, usefulness, version, created_at, updated_at)
    SELECT p.territory_id, g.reference,
      -- The receipt's code went with the wipe: its keyed hash is as random as this one, and as long (base64url of 32 bytes).
      translate(rtrim(encode(sha256(convert_to(g.reference || ':' || g.seed::text || ':' || g.n::text, 'UTF8')), 'base64'), '='), '+/', '-_'),
      p.cp_ids[g.cp], g.agent, p.org_ids[g.org], g.theme,
      'Saisine archivée', '', 'archivee', g.days, 4, g.due_at, g.sent_at, g.answered_at,
      CASE WHEN g.unanswered THEN NULL ELSE g.tenths END,
      CASE WHEN g.unanswered THEN NULL ELSE g.tenths <= g.days * 10 END,
      coalesce(g.answered_at, g.sent_at), g.closed_at, g.closed_at + interval '30 days', g.closed_at + interval '30 days',
      CASE WHEN g.unanswered THEN NULL
           ELSE (ARRAY['utile', 'partiellement_utile', 'pas_utile', NULL])[width_bucket(g.u_use, ARRAY[0, 0.62, 0.82, 0.9]::float8[])] END,
      4, g.sent_at, g.closed_at + interval '30 days'
    FROM g CROSS JOIN p`;
}

export interface HistoryResult {
  visits: number;
  requests: number;
}

const addDays = (day: string, days: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/**
 * Inserts the territory's visits and request skeletons for [from, to) in the caller's transaction
 * (or autocommit). Request skeletons stop `requestMarginDays` (60) before `to`: the live requests
 * cover the recent weeks, and every skeleton's answer, closure and wipe are then in the past.
 */
export async function generateHistory(executor: Executor, plan: HistoryPlan, volume: HistoryVolume): Promise<HistoryResult> {
  return executor.transaction((db) => insertHistory(db, plan, volume));
}

async function insertHistory(db: Executor, plan: HistoryPlan, volume: HistoryVolume): Promise<HistoryResult> {
  // The planner's row estimates are small, its cost large (generate_series, the triggers' work is not
  // counted): PostgreSQL's JIT would spend 0.4–0.9 s compiling each statement, more than a territory's
  // year of generation takes at demo size.
  await db.execute(sql`SELECT set_config('jit', 'off', true)`);
  const params = { ...planParameters(plan), territoryId: plan.territoryId };
  let visits = 0;
  if (volume.visitsPerYear > 0) {
    const result = await db.execute(visitsSql(params, volume));
    visits = result.rowCount ?? 0;
  }
  let requests = 0;
  const requestsTo = addDays(volume.to, -(volume.requestMarginDays ?? 60));
  if (volume.requestsPerYear > 0 && plan.organisations.length && requestsTo > volume.from) {
    const result = await db.execute(requestsSql(params, volume, requestsTo));
    requests = result.rowCount ?? 0;
  }
  return { visits, requests };
}

/** Whether the territory already has generated history (request skeletons or visits before `before`). */
export async function hasHistory(db: Executor, territoryId: string, before: Date): Promise<boolean> {
  const rows = await db.execute<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM visits WHERE territory_id = ${territoryId} AND occurred_at < ${before.toISOString()} LIMIT 1) x`,
  );
  return (rows.rows[0]?.n ?? 0) > 0;
}
