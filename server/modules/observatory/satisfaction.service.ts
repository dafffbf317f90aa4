import { and, desc, eq, gte, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import {
  type Breakdown,
  type ObservatoryQuery,
  SATISFACTION_DEFINITION,
  type SatisfactionDashboard,
  SatisfactionLabels,
  type SurveyContext,
  SurveyContextLabels,
} from '../../../contracts/observatory.ts';
import { VisitChannelLabels } from '../../../contracts/visits.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import type { Actor } from '../../platform/authorize.ts';
import { AppError } from '../../platform/errors.ts';
import { contactPoints } from '../network/network.schema.ts';
import { surveyResponses } from './observatory.schema.ts';
import { inPeriod, monthIndex, monthOf, type ResolvedPeriod, readRange, resolvePeriod } from './period.ts';
import { filterWithin, type StatsFilter, type StatsScope, statsScope } from './scope.ts';

/*
 * The satisfaction dashboard (issue 7): the anonymous answers by contact point, channel, context and
 * month, « % satisfaits » with its definition and the count of answers it rests on, compared with
 * the previous period. Partners get 403: the survey is about the contact points, not about them.
 */

const COMMENTS = 20;

interface Tally {
  count: number;
  previous: number;
  satisfied: number;
}

const share = (n: number, d: number) => (d > 0 ? n / d : null);

export async function satisfactionDashboard(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  query: ObservatoryQuery,
): Promise<SatisfactionDashboard> {
  const scope = await statsScope(ctx.db, actor, territoryId);
  if (scope.kind === 'partenaire')
    throw new AppError(
      'OBSERVATORY_OUT_OF_SCOPE',
      403,
      'La satisfaction porte sur les lieux d’accueil : elle est réservée à la coordination et aux agents des lieux.',
    );
  const filter = filterWithin(scope, { contactPointId: query.contactPointId });
  const period = resolvePeriod(query, ctx.clock.now(), scope.territory.timezone);
  return computeSatisfactionDashboard(ctx.db, scope, filter, period);
}

/** The satisfaction figures of a scope, filter and period already checked (also read by the key figures). */
export async function computeSatisfactionDashboard(
  db: Executor,
  scope: StatsScope,
  filter: StatsFilter,
  period: ResolvedPeriod,
): Promise<SatisfactionDashboard> {
  const territoryId = scope.territoryId;
  const { from: lo, to: hi } = readRange(period);
  const where = and(
    eq(surveyResponses.territoryId, territoryId),
    gte(surveyResponses.answeredOn, `${monthOf(lo)}-01`),
    lte(surveyResponses.answeredOn, sql`(${`${monthOf(hi)}-01`}::date + interval '1 month' - interval '1 day')::date`),
    filter.contactPointIds ? inArray(surveyResponses.contactPointId, filter.contactPointIds) : undefined,
  );
  const rows = await db
    .select({
      month: sql<string>`to_char(${surveyResponses.answeredOn}, 'YYYY-MM')`,
      contactPointId: surveyResponses.contactPointId,
      channel: surveyResponses.channel,
      context: surveyResponses.context,
      satisfaction: surveyResponses.satisfaction,
      count: sql<number>`count(*)::int`,
      resolvedYes: sql<number>`count(*) FILTER (WHERE ${surveyResponses.resolved} = 'oui')::int`,
      resolvedAnswered: sql<number>`count(${surveyResponses.resolved})::int`,
      recommendYes: sql<number>`count(*) FILTER (WHERE ${surveyResponses.recommend})::int`,
      recommendAnswered: sql<number>`count(${surveyResponses.recommend})::int`,
    })
    .from(surveyResponses)
    .where(where)
    .groupBy(sql`1`, surveyResponses.contactPointId, surveyResponses.channel, surveyResponses.context, surveyResponses.satisfaction);

  const facets = {
    satisfaction: new Map<string, Tally>(),
    contactPoint: new Map<string, Tally>(),
    channel: new Map<string, Tally>(),
    context: new Map<string, Tally>(),
  };
  const byMonth = new Map<number, { answers: number; satisfied: number }>();
  let answers = 0;
  let satisfied = 0;
  const resolved = { yes: 0, of: 0 };
  const recommend = { yes: 0, of: 0 };
  const add = (map: Map<string, Tally>, key: string, n: number, sat: number, isCurrent: boolean) => {
    const t = map.get(key) ?? { count: 0, previous: 0, satisfied: 0 };
    if (isCurrent) {
      t.count += n;
      t.satisfied += sat;
    } else t.previous += n;
    map.set(key, t);
  };
  for (const r of rows) {
    const m = monthIndex(r.month);
    const isCurrent = inPeriod(m, period);
    if (!isCurrent && !inPeriod(m, period.previous)) continue;
    const sat = r.satisfaction >= 3 ? r.count : 0;
    add(facets.satisfaction, String(r.satisfaction), r.count, sat, isCurrent);
    add(facets.contactPoint, r.contactPointId, r.count, sat, isCurrent);
    add(facets.channel, r.channel ?? '', r.count, sat, isCurrent);
    add(facets.context, r.context, r.count, sat, isCurrent);
    if (!isCurrent) continue;
    answers += r.count;
    satisfied += sat;
    resolved.yes += r.resolvedYes;
    resolved.of += r.resolvedAnswered;
    recommend.yes += r.recommendYes;
    recommend.of += r.recommendAnswered;
    const mm = byMonth.get(m) ?? { answers: 0, satisfied: 0 };
    mm.answers += r.count;
    mm.satisfied += sat;
    byMonth.set(m, mm);
  }

  const cpIds = new Set([...facets.contactPoint.keys()]);
  const names = new Map(scope.view.contactPoints.map((c) => [c.id, c.name]));
  const missing = [...cpIds].filter((id) => !names.has(id));
  if (missing.length) {
    const more = await db
      .select({ id: contactPoints.id, name: contactPoints.name })
      .from(contactPoints)
      .where(inArray(contactPoints.id, missing));
    for (const c of more) names.set(c.id, c.name);
  }
  const hasPrevious = !!period.previous;
  const breakdown = (map: Map<string, Tally>, label: (code: string) => string, order?: string[]) => {
    const codes = order ?? [...map.keys()].sort((a, b) => (map.get(b)?.count ?? 0) - (map.get(a)?.count ?? 0) || a.localeCompare(b));
    return codes
      .filter((code) => order || (map.get(code)?.count ?? 0) > 0 || (map.get(code)?.previous ?? 0) > 0)
      .map((code) => {
        const t = map.get(code) ?? { count: 0, previous: 0, satisfied: 0 };
        return {
          code,
          label: label(code),
          count: t.count,
          previous: hasPrevious ? t.previous : null,
          share: share(t.count, answers),
          satisfiedShare: share(t.satisfied, t.count),
        };
      });
  };
  const bySatisfaction: Breakdown[] = breakdown(facets.satisfaction, (c) => SatisfactionLabels[Number(c)] ?? c, ['4', '3', '2', '1']).map(
    ({ satisfiedShare: _, ...b }) => b,
  );
  const months = [];
  for (let m = period.from; m <= period.to; m++) {
    const mm = byMonth.get(m) ?? { answers: 0, satisfied: 0 };
    months.push({ month: monthOf(m), answers: mm.answers, satisfiedShare: share(mm.satisfied, mm.answers) });
  }

  // The latest free comments, within the scope (coordinators: the territory; agents: their contact points).
  const comments = await db
    .select({ answeredOn: surveyResponses.answeredOn, contactPointId: surveyResponses.contactPointId, comment: surveyResponses.comment })
    .from(surveyResponses)
    .where(
      and(
        eq(surveyResponses.territoryId, territoryId),
        isNotNull(surveyResponses.comment),
        gte(surveyResponses.answeredOn, `${monthOf(period.from)}-01`),
        lte(surveyResponses.answeredOn, sql`(${`${monthOf(period.to)}-01`}::date + interval '1 month' - interval '1 day')::date`),
        filter.contactPointIds ? inArray(surveyResponses.contactPointId, filter.contactPointIds) : undefined,
      ),
    )
    .orderBy(desc(surveyResponses.answeredOn), desc(surveyResponses.id))
    .limit(COMMENTS);
  for (const c of comments)
    if (!names.has(c.contactPointId)) {
      const [cp] = await db.select({ name: contactPoints.name }).from(contactPoints).where(eq(contactPoints.id, c.contactPointId));
      names.set(c.contactPointId, cp?.name ?? 'Lieu fermé');
    }

  return {
    scope: scope.view,
    period: period.view,
    definition: SATISFACTION_DEFINITION,
    answers,
    satisfiedShare: share(satisfied, answers),
    resolvedShare: share(resolved.yes, resolved.of),
    recommendShare: share(recommend.yes, recommend.of),
    bySatisfaction,
    byContactPoint: breakdown(facets.contactPoint, (id) => names.get(id) ?? 'Lieu fermé'),
    byChannel: breakdown(facets.channel, (c) => (c ? (VisitChannelLabels[c as keyof typeof VisitChannelLabels] ?? c) : 'Non précisé')),
    byContext: breakdown(facets.context, (c) => SurveyContextLabels[c as SurveyContext] ?? c),
    byMonth: months,
    comments: comments.map((c) => ({
      answeredOn: String(c.answeredOn).slice(0, 10),
      contactPoint: names.get(c.contactPointId) ?? 'Lieu fermé',
      comment: c.comment ?? '',
    })),
  };
}
