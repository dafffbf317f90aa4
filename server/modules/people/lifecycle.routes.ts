import { PersonParams, PersonView } from '../../../contracts/people.ts';
import { EraseBody, EraseResult, HistoryPage, HistoryQuery, MergeBody, PersonExport } from '../../../contracts/people-lifecycle.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { actorOf, auditContextOf } from '../../platform/auth.ts';
import { erasePerson } from './erasure.service.ts';
import { exportPerson } from './export.service.ts';
import { history } from './history.service.ts';
import { mergePeople } from './merge.service.ts';

const tags = ['usagers'];
const base = '/api/territories/:territoryId/people/:id';

/** History, merge, access-request export and erasure of a person file. */
export function peopleLifecycleRoutes(app: App, ctx: AppContext) {
  app.get(
    `${base}/history`,
    {
      schema: {
        tags,
        summary:
          'Historique du dossier (accueils, mandats, accords, fusions), du plus récent au plus ancien ; journalisé comme une consultation',
        params: PersonParams,
        querystring: HistoryQuery,
        response: { 200: HistoryPage },
      },
    },
    async (req) => history(ctx, actorOf(req), req.params.territoryId, req.params.id, req.query, auditContextOf(req)),
  );
  app.post(
    `${base}/merge`,
    {
      schema: {
        tags,
        summary:
          'Fusionner un doublon dans ce dossier (409 PERSON_MERGE_CONFLICT si les NIR diffèrent ; le doublon répond ensuite 410 PERSON_MERGED)',
        params: PersonParams,
        body: MergeBody,
        response: { 200: PersonView },
      },
    },
    async (req) => mergePeople(ctx, actorOf(req), req.params.territoryId, req.params.id, req.body, auditContextOf(req)),
  );
  app.get(
    `${base}/export`,
    {
      schema: {
        tags,
        summary: 'Exporter tout le dossier pour répondre à une demande d’accès (coordination ; identifiants en clair ; journalisé)',
        params: PersonParams,
        response: { 200: PersonExport },
      },
    },
    async (req, reply) => {
      const result = await exportPerson(ctx, actorOf(req), req.params.territoryId, req.params.id, auditContextOf(req));
      return reply.header('content-disposition', `attachment; filename="dossier-usager-${req.params.id}.json"`).send(result);
    },
  );
  app.post(
    `${base}/erase`,
    {
      schema: {
        tags,
        summary: 'Effacer le dossier à la demande de la personne (coordination ; les accueils restent comptés, anonymes)',
        params: PersonParams,
        body: EraseBody,
        response: { 200: EraseResult },
      },
    },
    async (req) => erasePerson(ctx, actorOf(req), req.params.territoryId, req.params.id, req.body, auditContextOf(req)),
  );
}
