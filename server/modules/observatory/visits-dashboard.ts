import { sql } from 'drizzle-orm';
import { type Breakdown, NATIONAL_SHARES, type ObservatoryQuery, type VisitsDashboard } from '../../../contracts/observatory.ts';
import { DEFAULT_GROUP_CODE } from '../../../contracts/taxonomy.ts';
import {
  type VisitAction,
  VisitActionLabels,
  type VisitAutonomy,
  VisitAutonomyLabels,
  type VisitChannel,
  VisitChannelLabels,
} from '../../../contracts/visits.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import type { Actor } from '../../platform/authorize.ts';
import { loadTaxonomy } from '../visits/taxonomy.service.ts';
import { inPeriod, monthDate, monthIndex, monthOf, type ResolvedPeriod, readRange, resolvePeriod } from './period.ts';
import { filterWithin, type StatsFilter, type StatsScope, statsScope } from './scope.ts';

/** Counts of one key in the period and in the comparison period. */
export class Tally {
  readonly current = new Map<string, number>();
  readonly previous = new Map<string, number>();
  constructor(private readonly period: ResolvedPeriod) {}
  add(key: string, month: number, n: number) {
    if (inPeriod(month, this.period)) this.current.set(key, (this.current.get(key) ?? 0) + n);
    if (inPeriod(month, this.period.previous)) this.previous.set(key, (this.previous.get(key) ?? 0) + n);
  }
  total(which: 'current' | 'previous' = 'current') {
    let t = 0;
    for (const n of this[which].values()) t += n;
    return t;
  }
  /** Rows for every key seen in either period (or the given keys, in their order), largest first otherwise. */
  breakdown(label: (key: string) => string, options: { keys?: string[]; denominator?: number } = {}): Breakdown[] {
    const keys = options.keys ?? [...new Set([...this.current.keys(), ...this.previous.keys()])];
    const denominator = options.denominator ?? this.total();
    const rows = keys.map((code) => ({
      code,
      label: label(code),
      count: this.current.get(code) ?? 0,
      previous: this.period.previous ? (this.previous.get(code) ?? 0) : null,
      share: denominator > 0 ? (this.current.get(code) ?? 0) / denominator : null,
    }));
    return options.keys ? rows : rows.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'fr'));
  }
}

export const growthOf = (current: number, previous: number | null) =>
  previous === null || previous === 0 ? null : (current - previous) / previous;

/** Which aggregate rows a filter reads: every visit (''), or those naming one partner. */
const orgKeyOf = (filter: StatsFilter) => filter.organisationId ?? '';

export async function visitsDashboard(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  query: ObservatoryQuery,
): Promise<VisitsDashboard> {
  const scope = await statsScope(ctx.db, actor, territoryId);
  const filter = filterWithin(scope, query);
  const period = resolvePeriod(query, ctx.clock.now(), scope.territory.timezone);
  return computeVisitsDashboard(ctx.db, scope, filter, period, shownFilters(query));
}

export const shownFilters = (q: { contactPointId?: string; organisationId?: string }) => ({
  contactPointId: q.contactPointId ?? null,
  organisationId: q.organisationId ?? null,
});

export async function computeVisitsDashboard(
  db: Executor,
  scope: StatsScope,
  filter: StatsFilter,
  period: ResolvedPeriod,
  filters: VisitsDashboard['filters'],
): Promise<VisitsDashboard> {
  const rows = await aggregateRows(db, scope.territoryId, filter, readRange(period));
  const taxonomy = await loadTaxonomy(db, scope.territoryId);

  const byMonth = new Tally(period);
  const byCp = new Tally(period);
  const tallies = new Map<string, Tally>();
  const groups = new Tally(period);
  const themeInfo = new Map(taxonomy.themes.map((t) => [t.code, t]));
  let minutes = 0;
  let timed = 0;
  for (const r of rows) {
    const m = monthIndex(r.month);
    if (r.facet === 'total') {
      byMonth.add(r.month, m, r.visits);
      if (inPeriod(m, period)) {
        minutes += Number(r.minutes);
        timed += r.timed;
      }
    } else if (r.facet === 'cp') byCp.add(r.value, m, r.visits);
    else {
      if (!tallies.has(r.facet)) tallies.set(r.facet, new Tally(period));
      tallies.get(r.facet)?.add(r.value, m, r.visits);
      if (r.facet === 'theme') groups.add(themeInfo.get(r.value)?.groupCode ?? '', m, r.visits);
    }
  }
  const tally = (facet: string) => tallies.get(facet) ?? new Tally(period);

  const visits = byMonth.total();
  const previous = period.previous ? byMonth.total('previous') : null;
  const cpNames = new Map(scope.view.contactPoints.map((c) => [c.id, c.name]));
  const orgs = new Map(scope.view.organisations.map((o) => [o.id, o]));
  const orgLabel = (id: string) => orgs.get(id)?.name ?? 'Partenaire retiré';
  const groupLabels = new Map(taxonomy.groups.map((g) => [g.code, g.label]));
  const person = tally('person');

  let partners: Tally;
  if (filter.organisationId) {
    // Rows of one partner: its own count is the total.
    partners = new Tally(period);
    partners.current.set(filter.organisationId, visits);
    if (previous !== null) partners.previous.set(filter.organisationId, previous);
  } else partners = tally('org');
  const partnerMentions = partners.total();
  const months: string[] = [];
  for (let m = period.from; m <= period.to; m++) months.push(monthOf(m));
  const previousMonth = (month: string) => {
    if (!period.previous) return null;
    return byMonth.previous.get(monthOf(monthIndex(month) - (period.from - period.previous.from))) ?? 0;
  };

  return {
    scope: scope.view,
    period: period.view,
    filters,
    totals: {
      visits,
      previous,
      growth: growthOf(visits, previous),
      averageMinutes: timed > 0 ? Math.round((minutes / timed) * 10) / 10 : null,
      withPersonShare: visits > 0 ? (person.current.get('oui') ?? 0) / visits : null,
    },
    byMonth: months.map((month) => ({ month, count: byMonth.current.get(month) ?? 0, previous: previousMonth(month) })),
    byContactPoint: byCp.breakdown((id) => cpNames.get(id) ?? 'Lieu fermé', { keys: filter.contactPointIds ?? undefined }),
    byPartner: partners.breakdown(orgLabel, { denominator: partnerMentions }).map((row) => {
      const code = orgs.get(row.code)?.nationalCode ?? null;
      return { ...row, nationalShare: code && code in NATIONAL_SHARES ? (NATIONAL_SHARES[code] ?? null) : null };
    }),
    byGroup: groups.breakdown((code) => groupLabels.get(code) ?? (code === DEFAULT_GROUP_CODE ? 'Autres' : 'Thèmes hors groupe'), {
      keys: orderedGroupKeys(
        taxonomy.groups.map((g) => g.code),
        groups,
      ),
    }),
    byTheme: tally('theme')
      .breakdown((code) => themeInfo.get(code)?.label ?? code)
      .map((row) => ({ ...row, groupCode: themeInfo.get(row.code)?.groupCode ?? null })),
    byChannel: tally('channel').breakdown((c) => VisitChannelLabels[c as VisitChannel] ?? c, { denominator: visits }),
    byAction: tally('action').breakdown((c) => VisitActionLabels[c as VisitAction] ?? c, { denominator: visits }),
    byAutonomy: tally('autonomy')
      .breakdown((c) => (c === '' ? 'Non renseignée' : (VisitAutonomyLabels[c as VisitAutonomy] ?? c)), { denominator: visits })
      .map((row) => (row.code === '' ? { ...row, code: 'non_renseignee' } : row)),
  };
}

type AggregateRow = { facet: string; value: string; month: string; visits: number; minutes: number; timed: number };

/**
 * The aggregate rows of a view, by facet, value and month, with facet `cp` for each contact point's
 * total: from the territory table for a whole territory (a few thousand rows), from the contact
 * points' own rows when the view is limited to some (ADR 15).
 */
async function aggregateRows(db: Executor, territoryId: string, filter: StatsFilter, range: { from: number; to: number }) {
  const months = sql`month BETWEEN ${monthDate(range.from)}::date AND ${monthDate(range.to)}::date`;
  const orgKey = orgKeyOf(filter);
  if (!filter.contactPointIds) {
    const { rows } = await db.execute<AggregateRow>(sql`
      SELECT facet, value, to_char(month, 'YYYY-MM') AS month, visits, minutes::float8 AS minutes, timed
      FROM stats_visits_territory WHERE territory_id = ${territoryId} AND org_key = ${orgKey} AND ${months}`);
    return rows;
  }
  const { rows } = await db.execute<AggregateRow>(sql`
    WITH own AS (
      SELECT contact_point_id, facet, value, month, visits, minutes, timed FROM stats_visits_monthly
      WHERE territory_id = ${territoryId} AND contact_point_id = ANY(${sql.param(filter.contactPointIds)}::uuid[])
        AND org_key = ${orgKey} AND ${months})
    SELECT facet, value, to_char(month, 'YYYY-MM') AS month, sum(visits)::int AS visits, sum(minutes)::float8 AS minutes,
           sum(timed)::int AS timed
    FROM own GROUP BY facet, value, month
    UNION ALL
    SELECT 'cp', contact_point_id::text, to_char(month, 'YYYY-MM'), visits, minutes::float8, timed FROM own WHERE facet = 'total'`);
  return rows;
}

/** The territory's groups in their order, then any other group key that has counts (themes outside every group). */
function orderedGroupKeys(configured: string[], groups: Tally): string[] {
  const seen = new Set([...groups.current.keys(), ...groups.previous.keys()]);
  return [...configured, ...[...seen].filter((k) => !configured.includes(k))];
}
