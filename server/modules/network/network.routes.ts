import { z } from 'zod';
import { TerritoryParams, Uuid } from '../../../contracts/common.ts';
import {
  ContactPointView,
  CreateContactPointBody,
  CreateOrganisationBody,
  CreateTerritoryBody,
  OrganisationView,
  TerritoryView,
  UpdateContactPointBody,
} from '../../../contracts/network.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { actorOf, auditContextOf } from '../../platform/auth.ts';
import * as network from './network.service.ts';

const tags = ['réseau'];
const ContactPointParams = z.strictObject({ territoryId: Uuid, id: Uuid });
const pickTerritory = ({ id, slug, name, departmentCode, regionCode, timezone }: TerritoryView) => ({
  id,
  slug,
  name,
  departmentCode,
  regionCode,
  timezone,
});
const pickContactPoint = ({ id, territoryId, name, kind, commune, inseeCode }: ContactPointView) => ({
  id,
  territoryId,
  name,
  kind,
  commune,
  inseeCode,
});
const pickOrganisation = ({ id, territoryId, name, acronym, nationalCode }: OrganisationView) => ({
  id,
  territoryId,
  name,
  acronym,
  nationalCode,
});

export function networkRoutes(app: App, ctx: AppContext) {
  app.get('/api/territories', { schema: { tags, summary: 'Mes territoires', response: { 200: z.array(TerritoryView) } } }, async (req) =>
    (await network.listTerritories(ctx, actorOf(req))).map(pickTerritory),
  );
  app.post(
    '/api/territories',
    { schema: { tags, summary: 'Créer un territoire (administration)', body: CreateTerritoryBody, response: { 201: TerritoryView } } },
    async (req, reply) =>
      reply.code(201).send(pickTerritory(await network.createTerritory(ctx, actorOf(req), req.body, auditContextOf(req)))),
  );
  app.get(
    '/api/territories/:territoryId',
    { schema: { tags, summary: 'Un territoire', params: TerritoryParams, response: { 200: TerritoryView } } },
    async (req) => pickTerritory(await network.getTerritory(ctx, actorOf(req), req.params.territoryId)),
  );
  app.get(
    '/api/territories/:territoryId/contact-points',
    { schema: { tags, summary: 'Lieux d’accueil du territoire', params: TerritoryParams, response: { 200: z.array(ContactPointView) } } },
    async (req) => (await network.listContactPoints(ctx, actorOf(req), req.params.territoryId)).map(pickContactPoint),
  );
  app.post(
    '/api/territories/:territoryId/contact-points',
    {
      schema: {
        tags,
        summary: 'Créer un lieu d’accueil',
        params: TerritoryParams,
        body: CreateContactPointBody,
        response: { 201: ContactPointView },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(pickContactPoint(await network.createContactPoint(ctx, actorOf(req), req.params.territoryId, req.body, auditContextOf(req)))),
  );
  app.get(
    '/api/territories/:territoryId/contact-points/:id',
    { schema: { tags, summary: 'Un lieu d’accueil', params: ContactPointParams, response: { 200: ContactPointView } } },
    async (req) => pickContactPoint(await network.getContactPoint(ctx, actorOf(req), req.params.territoryId, req.params.id)),
  );
  app.patch(
    '/api/territories/:territoryId/contact-points/:id',
    {
      schema: {
        tags,
        summary: 'Modifier un lieu d’accueil',
        params: ContactPointParams,
        body: UpdateContactPointBody,
        response: { 200: ContactPointView },
      },
    },
    async (req) =>
      pickContactPoint(
        await network.updateContactPoint(ctx, actorOf(req), req.params.territoryId, req.params.id, req.body, auditContextOf(req)),
      ),
  );
  app.get(
    '/api/territories/:territoryId/organisations',
    { schema: { tags, summary: 'Partenaires du territoire', params: TerritoryParams, response: { 200: z.array(OrganisationView) } } },
    async (req) => (await network.listOrganisations(ctx, actorOf(req), req.params.territoryId)).map(pickOrganisation),
  );
  app.post(
    '/api/territories/:territoryId/organisations',
    {
      schema: {
        tags,
        summary: 'Ajouter un partenaire',
        params: TerritoryParams,
        body: CreateOrganisationBody,
        response: { 201: OrganisationView },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(pickOrganisation(await network.createOrganisation(ctx, actorOf(req), req.params.territoryId, req.body, auditContextOf(req)))),
  );
}
