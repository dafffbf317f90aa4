import { z } from 'zod';
import {
  CreateWebhookBody,
  OrganisationWebhooksParams,
  UpdateWebhookBody,
  WebhookDeliveriesQuery,
  WebhookDeliveryList,
  WebhookDeliveryParams,
  WebhookDeliveryView,
  WebhookParams,
  WebhookView,
  WebhookWithSecret,
} from '../../../contracts/webhooks.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { actorOf, auditContextOf } from '../../platform/auth.ts';
import * as service from './webhooks.service.ts';

const tags = ['webhooks'];
const base = '/api/territories/:territoryId/organisations/:organisationId/webhooks';
// People (the organisation's managers, the territory's coordinators) and the partner's own system.
const config = { auth: 'user_or_api_token' as const };
const SIGNATURE_DOC =
  'Chaque envoi est un POST JSON `{ id, type, createdAt, territoryId, organisationId, data }` (sans donnée personnelle : identifiant, référence et statut de la saisine, identifiants des organisations, dates) ' +
  'avec les en-têtes `X-Relais-Event`, `X-Relais-Delivery` (identifiant de l’envoi, pour dédoublonner) et ' +
  '`X-Relais-Signature: t=<secondes Unix>,v1=<HMAC-SHA256 hexadécimal du secret sur "<t>.<corps brut>">`. ' +
  'Une réponse 2xx en moins de 10 s vaut livraison ; sinon nouvel essai après 30 s, 2 min, 10 min, 1 h puis toutes les 6 h, 8 essais au plus. ' +
  'Les redirections ne sont pas suivies ; les adresses privées, de bouclage ou lien-local sont refusées (422 WEBHOOK_URL_REFUSED).';

export function webhooksRoutes(app: App, ctx: AppContext) {
  const place = (p: { territoryId: string; organisationId: string }) => ({ territoryId: p.territoryId, organisationId: p.organisationId });

  app.get(
    base,
    {
      config,
      schema: { tags, summary: 'Webhooks d’un partenaire', params: OrganisationWebhooksParams, response: { 200: z.array(WebhookView) } },
    },
    async (req) => service.listWebhooks(ctx, actorOf(req), place(req.params)),
  );
  app.post(
    base,
    {
      config,
      schema: {
        tags,
        summary: 'Déclarer un webhook (le secret de signature n’est affiché qu’une fois)',
        description: SIGNATURE_DOC,
        params: OrganisationWebhooksParams,
        body: CreateWebhookBody,
        response: { 201: WebhookWithSecret },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await service.createWebhook(ctx, actorOf(req), place(req.params), req.body, auditContextOf(req))),
  );
  app.patch(
    `${base}/:webhookId`,
    {
      config,
      schema: {
        tags,
        summary: 'Modifier un webhook : adresse, événements, activation',
        params: WebhookParams,
        body: UpdateWebhookBody,
        response: { 200: WebhookView },
      },
    },
    async (req) => service.updateWebhook(ctx, actorOf(req), place(req.params), req.params.webhookId, req.body, auditContextOf(req)),
  );
  app.delete(
    `${base}/:webhookId`,
    {
      config,
      schema: { tags, summary: 'Supprimer un webhook et son journal d’envois', params: WebhookParams, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await service.deleteWebhook(ctx, actorOf(req), place(req.params), req.params.webhookId, auditContextOf(req));
      return reply.code(204).send(null);
    },
  );
  app.post(
    `${base}/:webhookId/rotate-secret`,
    {
      config,
      schema: {
        tags,
        summary: 'Renouveler le secret de signature (affiché une seule fois ; l’ancien cesse aussitôt)',
        params: WebhookParams,
        response: { 200: WebhookWithSecret },
      },
    },
    async (req) => service.rotateWebhookSecret(ctx, actorOf(req), place(req.params), req.params.webhookId, auditContextOf(req)),
  );
  app.get(
    `${base}/:webhookId/deliveries`,
    {
      config,
      schema: {
        tags,
        summary: 'Journal des envois d’un webhook (du plus récent au plus ancien)',
        params: WebhookParams,
        querystring: WebhookDeliveriesQuery,
        response: { 200: WebhookDeliveryList },
      },
    },
    async (req) => service.listDeliveries(ctx, actorOf(req), place(req.params), req.params.webhookId, req.query),
  );
  app.post(
    `${base}/:webhookId/deliveries/:deliveryId/redeliver`,
    {
      config,
      schema: {
        tags,
        summary: 'Renvoyer un événement (nouvel envoi, même identifiant d’événement)',
        params: WebhookDeliveryParams,
        response: { 202: WebhookDeliveryView },
      },
    },
    async (req, reply) =>
      reply
        .code(202)
        .send(
          await service.redeliver(ctx, actorOf(req), place(req.params), req.params.webhookId, req.params.deliveryId, auditContextOf(req)),
        ),
  );
  app.post(
    `${base}/:webhookId/ping`,
    {
      config,
      schema: {
        tags,
        summary: 'Envoyer un événement de test « ping »',
        params: WebhookParams,
        response: { 202: WebhookDeliveryView },
      },
    },
    async (req, reply) =>
      reply.code(202).send(await service.pingWebhook(ctx, actorOf(req), place(req.params), req.params.webhookId, auditContextOf(req))),
  );
}
