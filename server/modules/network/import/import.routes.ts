import { z } from 'zod';
import { TerritoryParams } from '../../../../contracts/common.ts';
import { ImportParams, ImportSummaryView, ImportView, MAX_IMPORT_BYTES, StartImportBody } from '../../../../contracts/imports.ts';
import type { App } from '../../../app.ts';
import type { AppContext } from '../../../app-context.ts';
import { actorOf, auditContextOf } from '../../../platform/auth.ts';
import * as imports from './import.service.ts';

const tags = ['réseau'];
/** The file travels in the JSON body (base64 adds a third): room for 5 MB, above the general BODY_LIMIT_BYTES. */
export const IMPORT_BODY_LIMIT = Math.ceil(MAX_IMPORT_BYTES * 1.4) + 10_000;

export function importRoutes(app: App, ctx: AppContext) {
  app.post(
    '/api/territories/:territoryId/imports',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Importer des lieux d’accueil (liste ANCT ou data·inclusion), en tâche de fond',
        params: TerritoryParams,
        body: StartImportBody,
        response: { 201: ImportView },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(imports.importView(await imports.startImport(ctx, actorOf(req), req.params.territoryId, req.body, auditContextOf(req)))),
  );
  app.get(
    '/api/territories/:territoryId/imports',
    { schema: { tags, summary: 'Imports du territoire', params: TerritoryParams, response: { 200: z.array(ImportSummaryView) } } },
    async (req) => imports.listImports(ctx, actorOf(req), req.params.territoryId),
  );
  app.get(
    '/api/territories/:territoryId/imports/:id',
    { schema: { tags, summary: 'Un import : avancement et rapport', params: ImportParams, response: { 200: ImportView } } },
    async (req) => imports.getImport(ctx, actorOf(req), req.params.territoryId, req.params.id),
  );
  app.post(
    '/api/territories/:territoryId/imports/:id/apply',
    { schema: { tags, summary: 'Appliquer un essai d’import', params: ImportParams, response: { 201: ImportView } } },
    async (req, reply) =>
      reply
        .code(201)
        .send(imports.importView(await imports.applyDryRun(ctx, actorOf(req), req.params.territoryId, req.params.id, auditContextOf(req)))),
  );
}
