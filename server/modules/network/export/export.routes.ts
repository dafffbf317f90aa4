import { z } from 'zod';
import { TerritoryParams } from '../../../../contracts/common.ts';
import type { App } from '../../../app.ts';
import type { AppContext } from '../../../app-context.ts';
import { actorOf } from '../../../platform/auth.ts';
import { DiService, DiStructure } from './data-inclusion.schema.ts';
import { exportDataInclusion } from './data-inclusion.ts';

export function exportRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/territories/:territoryId/exports/data-inclusion',
    {
      schema: {
        tags: ['réseau'],
        summary: 'Exporter le réseau au format data·inclusion (schéma v0 : structures et services)',
        params: TerritoryParams,
        response: { 200: z.object({ structures: z.array(DiStructure), services: z.array(DiService) }) },
      },
    },
    async (req, reply) => {
      const { structures, services, territory } = await exportDataInclusion(ctx, actorOf(req), req.params.territoryId);
      reply.header('content-disposition', `attachment; filename="data-inclusion-${territory.slug}.json"`);
      return { structures, services };
    },
  );
}
