import { z } from 'zod';
import { IdParams } from '../../../contracts/common.ts';
import {
  CommuneSearchQuery,
  CommuneSuggestion,
  FinderQuery,
  FinderResponse,
  PublicConfig,
  PublicContactPoint,
} from '../../../contracts/finder.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { searchCommunes } from '../geo/communes.ts';
import { communeSuggestion, findContactPoints, publicContactPoint } from './finder.service.ts';

const tags = ['public'];
const publicRoute = { auth: 'public' } as const;

/** The public finder's API: no sign-in, nothing personal (ADR 9 for communes and coordinates). */
export function finderRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/public/config',
    {
      config: publicRoute,
      schema: { tags, summary: 'Réglages publics de l’affichage (fond de carte)', response: { 200: PublicConfig } },
    },
    async () => ({
      mapTilesUrl: ctx.config.mapTiles?.url ?? null,
      mapTilesAttribution: ctx.config.mapTiles?.attribution ?? null,
    }),
  );

  app.get(
    '/api/public/communes',
    {
      config: publicRoute,
      schema: {
        tags,
        summary: 'Communes dont le nom ou le code postal commence par la saisie (10 au plus)',
        querystring: CommuneSearchQuery,
        response: { 200: z.array(CommuneSuggestion) },
      },
    },
    async (req) => searchCommunes(req.query.q, 10).map(communeSuggestion),
  );

  app.get(
    '/api/public/contact-points',
    {
      config: publicRoute,
      schema: {
        tags,
        summary: 'Lieux d’accueil les plus proches d’une position, d’une commune ou d’un code postal, avec « ouvert maintenant »',
        description:
          'Donner soit lat et lon, soit insee, soit postcode. Les lieux fermés définitivement sont exclus ; un bus itinérant est placé à son prochain arrêt le plus proche. Distances à vol d’oiseau.',
        querystring: FinderQuery,
        response: { 200: FinderResponse },
      },
    },
    async (req) => findContactPoints(ctx, req.query),
  );

  app.get(
    '/api/public/contact-points/:id',
    {
      config: publicRoute,
      schema: {
        tags,
        summary: 'Fiche publique d’un lieu d’accueil : adresse, horaires de la semaine, partenaires, prochains arrêts',
        params: IdParams,
        response: { 200: PublicContactPoint },
      },
    },
    async (req) => publicContactPoint(ctx, req.params.id),
  );
}
