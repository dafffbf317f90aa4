import { TerritoryParams } from '../../../contracts/common.ts';
import {
  CreateMandateBody,
  MANDATE_DOCUMENT_MAX_BYTES,
  MandateDocumentBody,
  MandateListView,
  MandateParams,
  MandateView,
  RenewMandateBody,
  RevokeMandateBody,
  SmsChallengeBody,
  SmsChallengeView,
  SmsOutboxView,
} from '../../../contracts/mandates.ts';
import { PersonParams } from '../../../contracts/people.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { actorOf, auditContextOf } from '../../platform/auth.ts';
import { readMandateDocument, uploadMandateDocument } from './mandate-documents.service.ts';
import * as mandates from './mandates.service.ts';
import { smsOutbox } from './sms.service.ts';
import { createSmsChallenge } from './sms-challenges.ts';

const tags = ['mandats'];
const base = '/api/territories/:territoryId/people/:id/mandates';
/** The signed form travels in base64 (4/3 of its size) inside JSON. */
export const MANDATE_DOCUMENT_BODY_LIMIT = Math.ceil((MANDATE_DOCUMENT_MAX_BYTES * 4) / 3) + 10_000;

export function mandatesRoutes(app: App, ctx: AppContext) {
  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'Mandats d’un usager : actifs, expirés, révoqués, avec les jours restants (lecture journalisée)',
        params: PersonParams,
        response: { 200: MandateListView },
      },
    },
    async (req) => mandates.listMandates(ctx, actorOf(req), req.params.territoryId, req.params.id, auditContextOf(req)),
  );
  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Enregistrer un mandat pour le lieu d’accueil (formulaire signé, code SMS ou téléphone)',
        params: PersonParams,
        body: CreateMandateBody,
        response: { 201: MandateView },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await mandates.createMandate(ctx, actorOf(req), req.params.territoryId, req.params.id, req.body, auditContextOf(req))),
  );
  app.post(
    `${base}/sms-challenges`,
    {
      schema: {
        tags,
        summary: 'Envoyer à la personne un code par SMS (6 chiffres, 10 minutes) pour consentir à ce mandat',
        params: PersonParams,
        body: SmsChallengeBody,
        response: { 201: SmsChallengeView },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await createSmsChallenge(ctx, actorOf(req), req.params.territoryId, req.params.id, req.body, auditContextOf(req))),
  );
  app.get(
    `${base}/:mandateId`,
    {
      schema: {
        tags,
        summary: 'Un mandat (formulaire imprimable ; lecture journalisée)',
        params: MandateParams,
        response: { 200: MandateView },
      },
    },
    async (req) => mandates.getMandate(ctx, actorOf(req), req.params.territoryId, req.params.id, req.params.mandateId, auditContextOf(req)),
  );
  app.post(
    `${base}/:mandateId/renew`,
    {
      schema: {
        tags,
        summary: 'Renouveler un mandat (nouveau consentement ; même périmètre sauf changement)',
        params: MandateParams,
        body: RenewMandateBody,
        response: { 201: MandateView },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          await mandates.renewMandate(
            ctx,
            actorOf(req),
            req.params.territoryId,
            req.params.id,
            req.params.mandateId,
            req.body,
            auditContextOf(req),
          ),
        ),
  );
  app.post(
    `${base}/:mandateId/revoke`,
    {
      schema: {
        tags,
        summary: 'Révoquer un mandat (409 s’il est déjà révoqué ou expiré)',
        params: MandateParams,
        body: RevokeMandateBody,
        response: { 200: MandateView },
      },
    },
    async (req) =>
      mandates.revokeMandate(ctx, actorOf(req), req.params.territoryId, req.params.id, req.params.mandateId, req.body, auditContextOf(req)),
  );
  app.put(
    `${base}/:mandateId/document`,
    {
      bodyLimit: MANDATE_DOCUMENT_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Joindre le formulaire signé (PDF, JPEG ou PNG reconnus à leur contenu, 5 Mo au plus ; chiffré au repos)',
        params: MandateParams,
        body: MandateDocumentBody,
        response: { 200: MandateView },
      },
    },
    async (req) =>
      uploadMandateDocument(ctx, actorOf(req), req.params.territoryId, req.params.id, req.params.mandateId, req.body, auditContextOf(req)),
  );
  app.get(
    `${base}/:mandateId/document`,
    { schema: { tags, summary: 'Télécharger le formulaire signé (journalisé)', params: MandateParams } },
    async (req, reply) => {
      const doc = await readMandateDocument(
        ctx,
        actorOf(req),
        req.params.territoryId,
        req.params.id,
        req.params.mandateId,
        auditContextOf(req),
      );
      const ascii = doc.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
      return reply
        .type(doc.contentType)
        .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`)
        .send(doc.content);
    },
  );
  app.get(
    '/api/territories/:territoryId/sms-outbox',
    {
      schema: {
        tags,
        summary: 'Boîte d’envoi SMS : ce qui aurait été envoyé (sans prestataire SMS configuré ; numéros masqués)',
        params: TerritoryParams,
        response: { 200: SmsOutboxView },
      },
    },
    async (req) => smsOutbox(ctx, actorOf(req), req.params.territoryId),
  );
}
