import { eq, sql } from 'drizzle-orm';
import { PUBLIC_STATS_THRESHOLD, type PublicStats } from '../../../contracts/observatory.ts';
import type { AppContext } from '../../app-context.ts';
import { notFound } from '../../platform/errors.ts';
import { contactPoints, territories } from '../network/network.schema.ts';
import { currentMonth, monthDate, type ResolvedPeriod } from './period.ts';
import { computeRequestsDashboard } from './requests-dashboard.ts';
import { scopeLists, wholeTerritory } from './scope.ts';
import { computeVisitsDashboard } from './visits-dashboard.ts';

/**
 * Statistical disclosure control for the public page: a count from 1 to threshold − 1 is not shown
 * (null); when a list whose total is published has exactly one hidden cell, the next smallest is
 * hidden too, so that no hidden count can be worked out by subtraction. Zero is shown.
 */
export function suppress(counts: number[], threshold: number): (number | null)[] {
  const out: (number | null)[] = counts.map((n) => (n > 0 && n < threshold ? null : n));
  if (out.filter((n) => n === null).length === 1) {
    let smallest = -1;
    out.forEach((n, i) => {
      if (n !== null && n > 0 && (smallest < 0 || n < (out[smallest] as number))) smallest = i;
    });
    if (smallest >= 0) out[smallest] = null;
  }
  return out;
}

const single = (n: number, threshold: number) => (n > 0 && n < threshold ? null : n);

/** The year shown by default: the current one from February on, else the last complete one. */
export function defaultPublicYear(now: Date, timeZone: string): number {
  const m = currentMonth(now, timeZone);
  return m % 12 === 0 ? Math.floor(m / 12) - 1 : Math.floor(m / 12);
}

export async function publicStats(ctx: AppContext, slug: string, query: { year?: number }): Promise<PublicStats> {
  const [territory] = await ctx.db
    .select({ id: territories.id, name: territories.name, slug: territories.slug, timezone: territories.timezone })
    .from(territories)
    .where(eq(territories.slug, slug));
  if (!territory) throw notFound('Ce territoire');
  const now = ctx.clock.now();
  const year = query.year ?? defaultPublicYear(now, territory.timezone);
  // Whole months only: the current month is still moving.
  const lastComplete = currentMonth(now, territory.timezone) - 1;
  const from = year * 12;
  const to = Math.min(year * 12 + 11, lastComplete);
  const threshold = PUBLIC_STATS_THRESHOLD;
  const { cps, orgs } = await scopeLists(ctx.db, territory.id);
  const scope = wholeTerritory(territory.id, territory, cps, orgs);
  if (to < from) return emptyYear(territory, year, threshold);
  const period: ResolvedPeriod = {
    from,
    to,
    previous: { from: from - 12, to: to - 12 },
    view: { from: '', to: '', months: to - from + 1, previousFrom: null, previousTo: null },
  };
  const filter = { contactPointIds: null, organisationId: null };
  const noFilters = { contactPointId: null, organisationId: null };
  const visits = await computeVisitsDashboard(ctx.db, scope, filter, period, noFilters);
  const requests = await computeRequestsDashboard(ctx.db, scope, filter, period, noFilters, now);
  const communes = new Map(
    (
      await ctx.db
        .select({ id: contactPoints.id, commune: contactPoints.commune })
        .from(contactPoints)
        .where(eq(contactPoints.territoryId, territory.id))
    ).map((c) => [c.id, c.commune]),
  );
  const satisfaction = await ctx.db.execute<{ answers: number; satisfied: number }>(sql`
    SELECT count(*)::int AS answers, count(*) FILTER (WHERE satisfaction >= 3)::int AS satisfied
    FROM survey_responses
    WHERE territory_id = ${territory.id} AND answered_on >= ${monthDate(from)}::date AND answered_on < ${monthDate(to + 1)}::date`);
  const sat = satisfaction.rows[0] ?? { answers: 0, satisfied: 0 };

  const list = <T extends { count: number; share: number | null }>(rows: T[]) => {
    const shown = suppress(
      rows.map((r) => r.count),
      threshold,
    );
    return rows.map((r, i) => ({ ...r, count: shown[i] ?? null, share: shown[i] === null ? null : r.share }));
  };
  const months = suppress(
    visits.byMonth.map((m) => m.count),
    threshold,
  );
  const answered = requests.totals.answered >= threshold;
  return {
    territory: { name: territory.name, slug: territory.slug },
    year,
    threshold,
    months: to - from + 1,
    visits: single(visits.totals.visits, threshold),
    previousYearVisits: single(visits.totals.previous ?? 0, threshold),
    byMonth: visits.byMonth.map((m, i) => ({ month: m.month, count: months[i] ?? null })),
    byGroup: list(visits.byGroup.filter((g) => g.count > 0)).map(({ code, label, count, share }) => ({ code, label, count, share })),
    byPartner: list(visits.byPartner).map(({ code, label, count, share }) => {
      const org = orgs.find((o) => o.id === code);
      return { code: org?.nationalCode ?? code, label, count, share };
    }),
    byChannel: list(visits.byChannel).map(({ code, label, count, share }) => ({ code, label, count, share })),
    contactPoints: list(visits.byContactPoint.map((c) => ({ ...c, share: null }))).map((c) => ({
      name: c.label,
      commune: communes.get(c.code) ?? null,
      count: c.count,
    })),
    requests: {
      sent: single(requests.totals.sent, threshold),
      inTimeShare: answered ? requests.totals.inTimeShare : null,
      medianDays: answered ? requests.totals.medianDays : null,
    },
    satisfaction: {
      answers: single(sat.answers, threshold),
      satisfiedShare: sat.answers >= threshold ? sat.satisfied / sat.answers : null,
    },
  };
}

function emptyYear(territory: { name: string; slug: string }, year: number, threshold: number): PublicStats {
  return {
    territory: { name: territory.name, slug: territory.slug },
    year,
    threshold,
    months: 0,
    visits: 0,
    previousYearVisits: 0,
    byMonth: [],
    byGroup: [],
    byPartner: [],
    byChannel: [],
    contactPoints: [],
    requests: { sent: 0, inTimeShare: null, medianDays: null },
    satisfaction: { answers: 0, satisfiedShare: null },
  };
}
