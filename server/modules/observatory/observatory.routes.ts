import { z } from 'zod';
import { TerritoryParams } from '../../../contracts/common.ts';
import { ObservatoryQuery, PublicStats, PublicStatsQuery, RequestsDashboard, VisitsDashboard } from '../../../contracts/observatory.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { actorOf } from '../../platform/auth.ts';
import { publicStats } from './public-stats.ts';
import { requestsDashboard } from './requests-dashboard.ts';
import { visitsDashboard } from './visits-dashboard.ts';

const tags = ['observatoire'];
const base = '/api/territories/:territoryId/observatory';
const config = { auth: 'user' as const };

export function observatoryRoutes(app: App, ctx: AppContext) {
  app.get(
    `${base}/visits`,
    {
      config,
      schema: {
        tags,
        summary:
          'Tableau de bord des accueils dans votre périmètre (mois, lieux, partenaires, groupes de thèmes, canaux, actions, autonomie)',
        params: TerritoryParams,
        querystring: ObservatoryQuery,
        response: { 200: VisitsDashboard },
      },
    },
    async (req) => visitsDashboard(ctx, actorOf(req), req.params.territoryId, req.query),
  );
  app.get(
    `${base}/requests`,
    {
      config,
      schema: {
        tags,
        summary:
          'Saisines et délais dans votre périmètre : envoyées, répondues, délai médian et p90 en jours ouvrés, % dans le délai, dépassements',
        params: TerritoryParams,
        querystring: ObservatoryQuery,
        response: { 200: RequestsDashboard },
      },
    },
    async (req) => requestsDashboard(ctx, actorOf(req), req.params.territoryId, req.query),
  );
  app.get(
    '/api/public/statistics/:slug',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['public'],
        summary: 'Statistiques publiques d’un territoire (sans donnée personnelle ; petits effectifs masqués)',
        params: z.strictObject({ slug: z.string().max(100) }),
        querystring: PublicStatsQuery,
        response: { 200: PublicStats },
      },
    },
    async (req) => publicStats(ctx, req.params.slug, req.query),
  );
}
