import type { KeyFigures } from '../../../contracts/observatory.ts';
import type { AppContext } from '../../app-context.ts';
import type { Actor } from '../../platform/authorize.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { currentMonth, monthOf, resolvePeriod } from './period.ts';
import { computeRequestsDashboard } from './requests-dashboard.ts';
import { computeSatisfactionDashboard } from './satisfaction.service.ts';
import { filterWithin, statsScope } from './scope.ts';
import { computeVisitsDashboard, shownFilters } from './visits-dashboard.ts';

/**
 * A territory's yearly key figures (the Lozère « chiffres clés »): the year's visits against the
 * year before, shares by group and partner, deadlines, satisfaction. The current year runs to the
 * current month. Coordinators only: it is the territory's report.
 */
export async function keyFigures(ctx: AppContext, actor: Actor, territoryId: string, year: number): Promise<KeyFigures> {
  const scope = await statsScope(ctx.db, actor, territoryId);
  if (scope.kind !== 'territoire')
    throw new AppError('OBSERVATORY_OUT_OF_SCOPE', 403, 'Les chiffres clés du territoire sont réservés à sa coordination.');
  const now = currentMonth(ctx.clock.now(), scope.territory.timezone);
  const from = year * 12;
  if (from > now) throw invalid('OBSERVATORY_PERIOD_INVALID', `L’année ${year} n’a pas commencé.`);
  const to = Math.min(from + 11, now);
  const period = resolvePeriod(
    { from: monthOf(from), to: monthOf(to), compare: 'annee_precedente' },
    ctx.clock.now(),
    scope.territory.timezone,
  );
  const filter = filterWithin(scope, {});
  return {
    territory: { name: scope.territory.name, slug: scope.territory.slug },
    year,
    months: to - from + 1,
    visits: await computeVisitsDashboard(ctx.db, scope, filter, period, shownFilters({})),
    requests: await computeRequestsDashboard(ctx.db, scope, filter, period, shownFilters({}), ctx.clock.now()),
    satisfaction: await computeSatisfactionDashboard(ctx.db, scope, filter, period),
  };
}
