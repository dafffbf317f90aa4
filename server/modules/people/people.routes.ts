import { TerritoryParams } from '../../../contracts/common.ts';
import {
  CreateConsentBody,
  CreatePersonBody,
  DuplicatesBody,
  DuplicatesResult,
  PersonConsentParams,
  PersonParams,
  PersonReadQuery,
  PersonSearchQuery,
  PersonSearchResult,
  PersonView,
  RevealBody,
  RevealResult,
  ShareWithContactPointBody,
  UpdatePersonBody,
} from '../../../contracts/people.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { actorOf, auditContextOf } from '../../platform/auth.ts';
import * as people from './people.service.ts';

const tags = ['usagers'];
const base = '/api/territories/:territoryId/people';

export function peopleRoutes(app: App, ctx: AppContext) {
  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'Rechercher un dossier usager (nom approché, date de naissance, téléphone, NIR) parmi ceux de ses lieux',
        params: TerritoryParams,
        querystring: PersonSearchQuery,
        response: { 200: PersonSearchResult },
      },
    },
    async (req) => people.search(ctx, actorOf(req), req.params.territoryId, req.query),
  );
  app.post(
    `${base}/duplicates`,
    {
      schema: {
        tags,
        summary: 'Doublons probables avant de créer un dossier (même NIR, nom proche et même date de naissance, même téléphone)',
        params: TerritoryParams,
        body: DuplicatesBody,
        response: { 200: DuplicatesResult },
      },
    },
    async (req) => people.duplicates(ctx, actorOf(req), req.params.territoryId, req.body),
  );
  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Créer un dossier usager (409 PERSON_PROBABLE_DUPLICATE sans confirmNotDuplicate)',
        params: TerritoryParams,
        body: CreatePersonBody,
        response: { 201: PersonView },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await people.create(ctx, actorOf(req), req.params.territoryId, req.body, auditContextOf(req))),
  );
  app.get(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Ouvrir un dossier usager (identifiants masqués ; chaque ouverture est journalisée)',
        params: PersonParams,
        querystring: PersonReadQuery,
        response: { 200: PersonView },
      },
    },
    async (req) => people.read(ctx, actorOf(req), req.params.territoryId, req.params.id, req.query.screen, auditContextOf(req)),
  );
  app.patch(
    `${base}/:id`,
    {
      schema: { tags, summary: 'Modifier un dossier usager', params: PersonParams, body: UpdatePersonBody, response: { 200: PersonView } },
    },
    async (req) => people.update(ctx, actorOf(req), req.params.territoryId, req.params.id, req.body, auditContextOf(req)),
  );
  app.post(
    `${base}/:id/reveal`,
    {
      schema: {
        tags,
        summary: 'Afficher un identifiant en clair (journalisé)',
        params: PersonParams,
        body: RevealBody,
        response: { 200: RevealResult },
      },
    },
    async (req) => people.reveal(ctx, actorOf(req), req.params.territoryId, req.params.id, req.body, auditContextOf(req)),
  );
  app.post(
    `${base}/:id/consents`,
    {
      schema: {
        tags,
        summary: 'Enregistrer l’accord de la personne pour partager son dossier avec un partenaire',
        params: PersonParams,
        body: CreateConsentBody,
        response: { 201: PersonView },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await people.giveConsent(ctx, actorOf(req), req.params.territoryId, req.params.id, req.body, auditContextOf(req))),
  );
  app.delete(
    `${base}/:id/consents/:consentId`,
    {
      schema: { tags, summary: 'Retirer un accord de partage', params: PersonConsentParams, response: { 200: PersonView } },
    },
    async (req) =>
      people.withdrawConsent(ctx, actorOf(req), req.params.territoryId, req.params.id, req.params.consentId, auditContextOf(req)),
  );
  app.post(
    `${base}/:id/contact-points`,
    {
      schema: {
        tags,
        summary: 'Confier aussi le dossier à un autre lieu d’accueil du territoire (coordination)',
        params: PersonParams,
        body: ShareWithContactPointBody,
        response: { 200: PersonView },
      },
    },
    async (req) =>
      people.shareWithContactPoint(ctx, actorOf(req), req.params.territoryId, req.params.id, req.body.contactPointId, auditContextOf(req)),
  );
}
