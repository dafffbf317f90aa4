import { z } from 'zod';
import { TerritoryParams } from '../../../contracts/common.ts';
import {
  AddFromCatalogueBody,
  CreateReferentBody,
  DirectoryEntry,
  DirectoryQuery,
  OrganisationDetails,
  OrganisationParams,
  OrganisationReferentsParams,
  ReferentParams,
  ReferentView,
  UpdateOrganisationBody,
  UpdateReferentBody,
} from '../../../contracts/partners.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { actorOf, auditContextOf } from '../../platform/auth.ts';
import * as partners from './partners.service.ts';

const tags = ['partenaires'];

export function partnersRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/territories/:territoryId/organisations/:id',
    {
      schema: {
        tags,
        summary: 'Un partenaire : coordonnées, démarches, services en ligne et référents',
        params: OrganisationParams,
        response: { 200: OrganisationDetails },
      },
    },
    async (req) => partners.getOrganisation(ctx, actorOf(req), req.params.territoryId, req.params.id),
  );
  app.patch(
    '/api/territories/:territoryId/organisations/:id',
    {
      schema: {
        tags,
        summary: 'Modifier un partenaire (coordination, responsables du partenaire)',
        params: OrganisationParams,
        body: UpdateOrganisationBody,
        response: { 200: OrganisationDetails },
      },
    },
    async (req) => partners.updateOrganisation(ctx, actorOf(req), req.params.territoryId, req.params.id, req.body, auditContextOf(req)),
  );
  app.post(
    '/api/territories/:territoryId/organisations/from-catalogue',
    {
      schema: {
        tags,
        summary: 'Ajouter un partenaire du catalogue national (prérempli)',
        params: TerritoryParams,
        body: AddFromCatalogueBody,
        response: { 201: OrganisationDetails },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await partners.addFromCatalogue(ctx, actorOf(req), req.params.territoryId, req.body, auditContextOf(req))),
  );
  app.post(
    '/api/territories/:territoryId/organisations/:organisationId/referents',
    {
      schema: {
        tags,
        summary: 'Ajouter un référent à un partenaire',
        params: OrganisationReferentsParams,
        body: CreateReferentBody,
        response: { 201: ReferentView },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          await partners.createReferent(
            ctx,
            actorOf(req),
            req.params.territoryId,
            req.params.organisationId,
            req.body,
            auditContextOf(req),
          ),
        ),
  );
  app.get(
    '/api/territories/:territoryId/referents',
    {
      schema: {
        tags,
        summary: 'Annuaire des référents partenaires (recherche sans accents)',
        params: TerritoryParams,
        querystring: DirectoryQuery,
        response: { 200: z.array(DirectoryEntry) },
      },
    },
    async (req) => partners.searchDirectory(ctx, actorOf(req), req.params.territoryId, req.query),
  );
  app.get(
    '/api/territories/:territoryId/referents/:id',
    { schema: { tags, summary: 'Un référent', params: ReferentParams, response: { 200: ReferentView } } },
    async (req) => partners.getReferent(ctx, actorOf(req), req.params.territoryId, req.params.id),
  );
  app.patch(
    '/api/territories/:territoryId/referents/:id',
    {
      schema: { tags, summary: 'Modifier un référent', params: ReferentParams, body: UpdateReferentBody, response: { 200: ReferentView } },
    },
    async (req) => partners.updateReferent(ctx, actorOf(req), req.params.territoryId, req.params.id, req.body, auditContextOf(req)),
  );
  app.delete(
    '/api/territories/:territoryId/referents/:id',
    { schema: { tags, summary: 'Retirer un référent', params: ReferentParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await partners.deleteReferent(ctx, actorOf(req), req.params.territoryId, req.params.id, auditContextOf(req));
      return reply.code(204).send(null);
    },
  );
}
