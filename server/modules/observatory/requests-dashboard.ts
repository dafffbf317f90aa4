import { type SQL, sql } from 'drizzle-orm';
import type { DeadlineRow, ObservatoryQuery, RequestsDashboard } from '../../../contracts/observatory.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import type { Actor } from '../../platform/authorize.ts';
import { loadTaxonomy } from '../visits/taxonomy.service.ts';
import { histogramPercentile, monthDate, monthOf, type ResolvedPeriod, resolvePeriod } from './period.ts';
import { filterWithin, type StatsFilter, type StatsScope, statsScope } from './scope.ts';
import { shownFilters } from './visits-dashboard.ts';

type Dim = 'month' | 'org' | 'theme' | 'cp' | 'all';
type Counts = {
  sent: number;
  answered: number;
  inTime: number;
  closed: number;
  useful: number;
  partlyUseful: number;
  notUseful: number;
};
type Live = {
  open: number;
  overdue: number;
  waiting: number;
  /** Sent in the period, not answered, deadline passed. */
  lateUnanswered: number;
};

/** The breakdowns: their name, the column grouped and its key as text. */
const DIMENSIONS = {
  month: ['month', "to_char(month, 'YYYY-MM')"],
  org: ['organisation_id', 'organisation_id::text'],
  theme: ['theme_code', 'theme_code'],
  cp: ['contact_point_id', 'contact_point_id::text'],
} as const satisfies Record<Exclude<Dim, 'all'>, readonly [string, string]>;

/**
 * `dim` and `key` columns and the GROUPING SETS of a read by the given breakdowns (each one alone,
 * crossed with `extra` columns, and the whole), so that every row says which breakdown it belongs to.
 */
function groupings(dims: Exclude<Dim, 'all'>[], extra: string[] = []) {
  const cols = dims.map((d) => DIMENSIONS[d]);
  const sets = [...cols.map(([c]) => [c, ...extra]), extra].map((set) => `(${set.join(', ')})`);
  return {
    dim: sql.raw(`CASE ${dims.map((d, i) => `WHEN grouping(${cols[i]![0]}) = 0 THEN '${d}'`).join(' ')} ELSE 'all' END`),
    key: sql.raw(`coalesce(${cols.map(([, k]) => k).join(', ')}, '')`),
    sets: sql.raw(`GROUPING SETS (${sets.join(', ')})`),
  };
}

const ALL_DIMS: Exclude<Dim, 'all'>[] = ['month', 'org', 'theme', 'cp'];

export async function requestsDashboard(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  query: ObservatoryQuery,
): Promise<RequestsDashboard> {
  const scope = await statsScope(ctx.db, actor, territoryId);
  const filter = filterWithin(scope, query);
  const period = resolvePeriod(query, ctx.clock.now(), scope.territory.timezone);
  return computeRequestsDashboard(ctx.db, scope, filter, period, shownFilters(query), ctx.clock.now());
}

function scoped(filter: StatsFilter): SQL {
  return sql`${filter.contactPointIds ? sql`AND contact_point_id = ANY(${sql.param(filter.contactPointIds)}::uuid[])` : sql``}
    ${filter.organisationId ? sql`AND organisation_id = ${filter.organisationId}` : sql``}`;
}

type DelayRow = { dim: Dim; key: string; tenths: number; n: number };

/**
 * The delay histograms by month, organisation, theme and contact point. A view limited to some
 * contact points reads their rows of `stats_request_delays`; a whole territory's view reads the
 * histogram without contact points for the first three (a third of the rows), and the contact
 * points' own with a single grouping (ADR 15).
 */
async function readDelays(db: Executor, where: SQL, someContactPoints: boolean): Promise<DelayRow[]> {
  if (someContactPoints) {
    const g = groupings(ALL_DIMS, ['tenths']);
    const { rows } = await db.execute<DelayRow>(sql`
      SELECT ${g.dim} AS dim, ${g.key} AS key, tenths, sum(requests)::int AS n
      FROM stats_request_delays WHERE ${where}
      GROUP BY ${g.sets}`);
    return rows;
  }
  const g = groupings(['month', 'org', 'theme'], ['tenths']);
  const { rows } = await db.execute<DelayRow>(sql`
    SELECT ${g.dim} AS dim, ${g.key} AS key, tenths, sum(requests)::int AS n
    FROM stats_request_delays_territory WHERE ${where}
    GROUP BY ${g.sets}`);
  const byContactPoint = await db.execute<DelayRow>(sql`
    SELECT 'cp' AS dim, contact_point_id::text AS key, tenths, sum(requests)::int AS n
    FROM stats_request_delays WHERE ${where}
    GROUP BY contact_point_id, tenths`);
  return [...rows, ...byContactPoint.rows];
}

export async function computeRequestsDashboard(
  db: Executor,
  scope: StatsScope,
  filter: StatsFilter,
  period: ResolvedPeriod,
  filters: RequestsDashboard['filters'],
  now: Date,
): Promise<RequestsDashboard> {
  const inRange = (from: number, to: number) =>
    sql`territory_id = ${scope.territoryId} AND month BETWEEN ${monthDate(from)}::date AND ${monthDate(to)}::date ${scoped(filter)}`;
  const byAll = groupings(ALL_DIMS);
  const counts = await db.execute<Counts & { dim: Dim; key: string }>(sql`
    SELECT ${byAll.dim} AS dim, ${byAll.key} AS key, coalesce(sum(sent), 0)::int AS sent, coalesce(sum(answered), 0)::int AS answered,
      coalesce(sum(in_time), 0)::int AS "inTime", coalesce(sum(closed), 0)::int AS closed, coalesce(sum(useful), 0)::int AS useful,
      coalesce(sum(partly_useful), 0)::int AS "partlyUseful", coalesce(sum(not_useful), 0)::int AS "notUseful"
    FROM stats_requests_monthly WHERE ${inRange(period.from, period.to)}
    GROUP BY ${byAll.sets}`);
  const delays = await readDelays(db, inRange(period.from, period.to), !!filter.contactPointIds);
  const previous = period.previous
    ? ((
        await db.execute<{ sent: number }>(sql`
          SELECT coalesce(sum(sent), 0)::int AS sent FROM stats_requests_monthly WHERE ${inRange(period.previous.from, period.previous.to)}`)
      ).rows[0]?.sent ?? 0)
    : null;
  // Open now (whatever the period), from the partial index of open requests; and those of the period
  // still unanswered past their deadline.
  const periodStart = sql`(${monthDate(period.from)}::timestamp AT TIME ZONE ${scope.territory.timezone})`;
  const periodEnd = sql`(${monthDate(period.to + 1)}::timestamp AT TIME ZONE ${scope.territory.timezone})`;
  const open = groupings(['org', 'theme', 'cp']);
  const live = await db.execute<Live & { dim: Dim; key: string }>(sql`
    SELECT ${open.dim} AS dim, ${open.key} AS key,
      count(*)::int AS open,
      count(*) FILTER (WHERE due_at < ${now} AND status <> 'attente_infos')::int AS overdue,
      count(*) FILTER (WHERE status = 'attente_infos')::int AS waiting,
      count(*) FILTER (WHERE first_answered_at IS NULL AND due_at < ${now} AND sent_at >= ${periodStart} AND sent_at < ${periodEnd})::int AS "lateUnanswered"
    FROM (SELECT organisation_id, coalesce(theme_code, '') AS theme_code, contact_point_id, due_at, status, first_answered_at, sent_at
          FROM requests
          WHERE territory_id = ${scope.territoryId} AND status IN ('envoyee', 'en_cours', 'attente_infos', 'repondue') ${scoped(filter)}) open
    GROUP BY ${open.sets}`);

  const byKey = <T>(rows: (T & { dim: Dim; key: string })[]) => {
    const map = new Map<string, T>();
    for (const r of rows) map.set(`${r.dim}:${r.key}`, r);
    return map;
  };
  const countsOf = byKey(counts.rows);
  const liveOf = byKey(live.rows);
  const histograms = new Map<string, Map<number, number>>();
  for (const r of delays) {
    const k = `${r.dim}:${r.key}`;
    if (!histograms.has(k)) histograms.set(k, new Map());
    histograms.get(k)?.set(r.tenths, r.n);
  }
  const days = (k: string, fraction: number) => {
    const tenths = histogramPercentile(histograms.get(k) ?? new Map(), fraction);
    return tenths === null ? null : tenths / 10;
  };
  const none: Counts = { sent: 0, answered: 0, inTime: 0, closed: 0, useful: 0, partlyUseful: 0, notUseful: 0 };
  const noLive: Live = { open: 0, overdue: 0, waiting: 0, lateUnanswered: 0 };
  const row = (dim: Dim, code: string, label: string): DeadlineRow => {
    const c = countsOf.get(`${dim}:${code}`) ?? none;
    const l = liveOf.get(`${dim}:${code}`) ?? noLive;
    return {
      code,
      label,
      sent: c.sent,
      answered: c.answered,
      inTimeShare: c.answered > 0 ? c.inTime / c.answered : null,
      medianDays: days(`${dim}:${code}`, 0.5),
      p90Days: days(`${dim}:${code}`, 0.9),
      breaches: c.answered - c.inTime + l.lateUnanswered,
      openNow: l.open,
    };
  };
  const keysOf = (dim: Dim) => [...new Set([...counts.rows, ...live.rows].filter((r) => r.dim === dim).map((r) => r.key))];
  const rowsOf = (dim: Dim, label: (key: string) => string) =>
    keysOf(dim)
      .map((k) => row(dim, k, label(k)))
      .sort((a, b) => b.sent - a.sent || b.openNow - a.openNow || a.label.localeCompare(b.label, 'fr'));

  const taxonomy = await loadTaxonomy(db, scope.territoryId);
  const themeLabels = new Map(taxonomy.themes.map((t) => [t.code, t.label]));
  const orgNames = new Map(scope.view.organisations.map((o) => [o.id, o.name]));
  const cpNames = new Map(scope.view.contactPoints.map((c) => [c.id, c.name]));
  const all = countsOf.get('all:') ?? none;
  const allLive = liveOf.get('all:') ?? noLive;
  const rated = all.useful + all.partlyUseful + all.notUseful;
  const months: RequestsDashboard['byMonth'] = [];
  for (let m = period.from; m <= period.to; m++) {
    const c = countsOf.get(`month:${monthOf(m)}`) ?? none;
    months.push({ month: monthOf(m), sent: c.sent, answered: c.answered, inTime: c.inTime, medianDays: days(`month:${monthOf(m)}`, 0.5) });
  }
  return {
    scope: scope.view,
    period: period.view,
    filters,
    totals: {
      sent: all.sent,
      previous,
      answered: all.answered,
      inTimeShare: all.answered > 0 ? all.inTime / all.answered : null,
      breaches: all.answered - all.inTime + allLive.lateUnanswered,
      medianDays: days('all:', 0.5),
      p90Days: days('all:', 0.9),
      closed: all.closed,
      usefulShare: rated > 0 ? all.useful / rated : null,
      rated,
    },
    backlog: { open: allLive.open, overdue: allLive.overdue, waitingForInformation: allLive.waiting },
    byMonth: months,
    byOrganisation: rowsOf('org', (id) => orgNames.get(id) ?? 'Organisme retiré'),
    byTheme: rowsOf('theme', (code) => (code === '' ? 'Sans thème' : (themeLabels.get(code) ?? code))),
    byContactPoint: rowsOf('cp', (id) => cpNames.get(id) ?? 'Lieu fermé'),
  };
}
