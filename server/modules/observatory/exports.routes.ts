import { TerritoryParams } from '../../../contracts/common.ts';
import { ExportQuery } from '../../../contracts/observatory.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { actorOf, auditContextOf } from '../../platform/auth.ts';
import { type ExportKind, prepareExport } from './exports.ts';

const tags = ['observatoire'];
const base = '/api/territories/:territoryId/observatory/exports';
const config = { auth: 'user' as const };
const produces = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

const summaries: Record<ExportKind, string> = {
  visits: 'Exporter les accueils de votre périmètre (une ligne par accueil, CSV ou XLSX)',
  requests: 'Exporter les saisines de votre périmètre (une ligne par saisine, CSV ou XLSX)',
};

export function observatoryExportRoutes(app: App, ctx: AppContext) {
  for (const kind of ['visits', 'requests'] as const) {
    app.get(
      `${base}/${kind}`,
      { config, schema: { tags, summary: summaries[kind], params: TerritoryParams, querystring: ExportQuery, produces } },
      async (req, reply) => {
        const prepared = await prepareExport(ctx, actorOf(req), req.params.territoryId, kind, req.query, auditContextOf(req));
        reply.header('content-type', prepared.contentType);
        reply.header('content-disposition', `attachment; filename="${prepared.filename}"`);
        return reply.send(prepared.stream);
      },
    );
  }
}
