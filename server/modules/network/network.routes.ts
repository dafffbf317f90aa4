import { z } from 'zod';
import { TerritoryParams, Uuid } from '../../../contracts/common.ts';
import {
  ContactPointDetails,
  ContactPointView,
  CreateContactPointBody,
  CreateOrganisationBody,
  CreateTerritoryBody,
  LabelCheckRow,
  OpeningHoursPreview,
  OpeningHoursPreviewBody,
  OrganisationView,
  ServedPartner,
  SetServedPartnersBody,
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
type ContactPointRow = Awaited<ReturnType<typeof network.getContactPoint>>;
const pickContactPoint = (cp: ContactPointRow): ContactPointView => ({
  id: cp.id,
  territoryId: cp.territoryId,
  name: cp.name,
  kind: cp.kind,
  commune: cp.commune,
  inseeCode: cp.inseeCode,
  matricule: cp.matricule,
  labelDate: cp.labelDate,
  address: cp.address,
  addressComplement: cp.addressComplement,
  postcode: cp.postcode,
  latitude: cp.latitude,
  longitude: cp.longitude,
  phone: cp.phone,
  email: cp.email,
  website: cp.website,
  managingBody: cp.managingBody,
  managingBodyType: cp.managingBodyType,
  description: cp.description,
  accessibility: cp.accessibility,
  wheelchairAccessible: cp.wheelchairAccessible,
  openingHours: cp.openingHours,
  hoursReview: cp.hoursReview,
  themes: cp.themes,
  source: cp.source,
  closedAt: cp.closedAt?.toISOString() ?? null,
  updatedAt: cp.updatedAt.toISOString(),
  now: cp.now,
  nextStop: cp.nextStop,
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
    {
      schema: {
        tags,
        summary: 'Un lieu d’accueil : fiche, ouvert maintenant, semaine, partenaires, agents, critères du label',
        params: ContactPointParams,
        response: { 200: ContactPointDetails },
      },
    },
    async (req) => {
      const d = await network.getContactPointDetails(ctx, actorOf(req), req.params.territoryId, req.params.id);
      return {
        ...pickContactPoint(d),
        week: d.week,
        weeklyOpenHours: d.weeklyOpenHours,
        partners: d.partners,
        agents: d.agents,
        labelCheck: d.labelCheck,
      };
    },
  );
  app.put(
    '/api/territories/:territoryId/contact-points/:id/partners',
    {
      schema: {
        tags,
        summary: 'Remplacer la liste des partenaires servis dans un lieu d’accueil',
        params: ContactPointParams,
        body: SetServedPartnersBody,
        response: { 200: z.array(ServedPartner) },
      },
    },
    async (req) => network.setServedPartners(ctx, actorOf(req), req.params.territoryId, req.params.id, req.body, auditContextOf(req)),
  );
  app.post(
    '/api/territories/:territoryId/contact-points/:id/close',
    {
      schema: {
        tags,
        summary: 'Fermer un lieu d’accueil (il reste dans l’historique)',
        params: ContactPointParams,
        response: { 200: ContactPointView },
      },
    },
    async (req) =>
      pickContactPoint(
        await network.setContactPointClosed(ctx, actorOf(req), req.params.territoryId, req.params.id, true, auditContextOf(req)),
      ),
  );
  app.post(
    '/api/territories/:territoryId/contact-points/:id/reopen',
    { schema: { tags, summary: 'Rouvrir un lieu d’accueil fermé', params: ContactPointParams, response: { 200: ContactPointView } } },
    async (req) =>
      pickContactPoint(
        await network.setContactPointClosed(ctx, actorOf(req), req.params.territoryId, req.params.id, false, auditContextOf(req)),
      ),
  );
  app.get(
    '/api/territories/:territoryId/label-checks',
    {
      schema: {
        tags,
        summary: 'Critères du label de chaque France Services du territoire (coordination)',
        params: TerritoryParams,
        response: { 200: z.array(LabelCheckRow) },
      },
    },
    async (req) => network.listLabelChecks(ctx, actorOf(req), req.params.territoryId),
  );
  app.post(
    '/api/opening-hours/preview',
    {
      schema: {
        tags,
        summary: 'Vérifier des horaires (syntaxe OpenStreetMap) et voir leur semaine dans le calendrier d’un territoire',
        body: OpeningHoursPreviewBody,
        response: { 200: OpeningHoursPreview },
      },
    },
    async (req) => network.previewOpeningHours(ctx, actorOf(req), req.body),
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
