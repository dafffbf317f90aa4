import { TerritoryParams } from '../../../contracts/common.ts';
import {
  CreateReportingGroupBody,
  CreateTerritoryThemeBody,
  ReportingGroupView,
  TaxonomyItemParams,
  TaxonomyThemeView,
  TaxonomyView,
  UpdateReportingGroupBody,
  UpdateTerritoryThemeBody,
} from '../../../contracts/taxonomy.ts';
import {
  ContactPointShortcutParams,
  CorrectVisitBody,
  CreateVisitBody,
  VisitListQuery,
  VisitListView,
  VisitParams,
  VisitShortcutsView,
  VisitView,
} from '../../../contracts/visits.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { actorOf, auditContextOf } from '../../platform/auth.ts';
import * as taxonomy from './taxonomy.service.ts';
import * as visits from './visits.service.ts';

const tags = ['accueils'];

export function visitsRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/territories/:territoryId/taxonomy',
    {
      schema: {
        tags,
        summary: 'Thèmes du territoire (nationaux, démarches des partenaires, thèmes locaux) et groupes de restitution',
        params: TerritoryParams,
        response: { 200: TaxonomyView },
      },
    },
    async (req) => taxonomy.getTaxonomy(ctx, actorOf(req), req.params.territoryId),
  );
  app.post(
    '/api/territories/:territoryId/taxonomy/themes',
    {
      schema: {
        tags,
        summary: 'Ajouter un thème du territoire',
        params: TerritoryParams,
        body: CreateTerritoryThemeBody,
        response: { 201: TaxonomyThemeView },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await taxonomy.createTerritoryTheme(ctx, actorOf(req), req.params.territoryId, req.body, auditContextOf(req))),
  );
  app.patch(
    '/api/territories/:territoryId/taxonomy/themes/:id',
    {
      schema: {
        tags,
        summary: 'Renommer, archiver ou rétablir un thème du territoire',
        params: TaxonomyItemParams,
        body: UpdateTerritoryThemeBody,
        response: { 200: TaxonomyThemeView },
      },
    },
    async (req) => taxonomy.updateTerritoryTheme(ctx, actorOf(req), req.params.territoryId, req.params.id, req.body, auditContextOf(req)),
  );
  app.post(
    '/api/territories/:territoryId/taxonomy/groups',
    {
      schema: {
        tags,
        summary: 'Créer un groupe de restitution et y ranger des thèmes',
        params: TerritoryParams,
        body: CreateReportingGroupBody,
        response: { 201: ReportingGroupView },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await taxonomy.createReportingGroup(ctx, actorOf(req), req.params.territoryId, req.body, auditContextOf(req))),
  );
  app.patch(
    '/api/territories/:territoryId/taxonomy/groups/:id',
    {
      schema: {
        tags,
        summary: 'Modifier un groupe de restitution (ses thèmes remplacent les précédents)',
        params: TaxonomyItemParams,
        body: UpdateReportingGroupBody,
        response: { 200: ReportingGroupView },
      },
    },
    async (req) => taxonomy.updateReportingGroup(ctx, actorOf(req), req.params.territoryId, req.params.id, req.body, auditContextOf(req)),
  );

  app.post(
    '/api/territories/:territoryId/visits',
    {
      schema: {
        tags,
        summary: 'Noter un accueil (201 ; 200 avec l’accueil déjà enregistré si la même clé d’envoi revient)',
        params: TerritoryParams,
        body: CreateVisitBody,
        response: { 200: VisitView, 201: VisitView },
      },
    },
    async (req, reply) => {
      const { created, visit } = await visits.createVisit(ctx, actorOf(req), req.params.territoryId, req.body, auditContextOf(req));
      return reply.code(created ? 201 : 200).send(visit);
    },
  );
  app.get(
    '/api/territories/:territoryId/visits',
    {
      schema: {
        tags,
        summary: 'Accueils, du plus récent au plus ancien (les lieux de l’agent, tout le territoire pour la coordination)',
        params: TerritoryParams,
        querystring: VisitListQuery,
        response: { 200: VisitListView },
      },
    },
    async (req) => visits.listVisits(ctx, actorOf(req), req.params.territoryId, req.query),
  );
  app.get(
    '/api/territories/:territoryId/visits/:id',
    { schema: { tags, summary: 'Un accueil', params: VisitParams, response: { 200: VisitView } } },
    async (req) => visits.getVisit(ctx, actorOf(req), req.params.territoryId, req.params.id),
  );
  app.patch(
    '/api/territories/:territoryId/visits/:id',
    {
      schema: {
        tags,
        summary: 'Corriger un accueil qu’on a noté (dans le délai de correction)',
        params: VisitParams,
        body: CorrectVisitBody,
        response: { 200: VisitView },
      },
    },
    async (req) => visits.correctVisit(ctx, actorOf(req), req.params.territoryId, req.params.id, req.body, auditContextOf(req)),
  );
  app.get(
    '/api/territories/:territoryId/contact-points/:id/visit-shortcuts',
    {
      schema: {
        tags,
        summary: 'Choix rapides du formulaire d’accueil : partenaires et thèmes les plus fréquents du lieu (90 jours)',
        params: ContactPointShortcutParams,
        response: { 200: VisitShortcutsView },
      },
    },
    async (req) => visits.visitShortcuts(ctx, actorOf(req), req.params.territoryId, req.params.id),
  );
}
