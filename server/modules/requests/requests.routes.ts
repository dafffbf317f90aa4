import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TerritoryParams } from '../../../contracts/common.ts';
import {
  AssignBody,
  AssigneesView,
  AttachmentParams,
  AttachmentView,
  CloseBody,
  CreatedRequestView,
  CreateRequestBody,
  IdempotencyHeaders,
  InboxQuery,
  InboxView,
  InviteBody,
  OrganisationInboxParams,
  PostMessageBody,
  PublicStatusBody,
  PublicStatusView,
  RateBody,
  ReceiptView,
  ReferenceParams,
  ReopenBody,
  RequestDetails,
  RequestListQuery,
  RequestListView,
  RequestLookupView,
  RequestParams,
  RequestSettingsBody,
  RequestSettingsView,
  RerouteBody,
  VersionBody,
} from '../../../contracts/requests.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { actorOf, auditContextOf } from '../../platform/auth.ts';
import { downloadAttachment, uploadAttachment } from './attachments.service.ts';
import { publicStatus, readReceipt, smsReceipt } from './public-status.ts';
import { assignees, getRequest, inbox, listRequests, lookupByReference } from './requests.queries.ts';
import * as service from './requests.service.ts';

const tags = ['saisines'];
const base = '/api/territories/:territoryId/requests';
const org = '/api/territories/:territoryId/organisations/:organisationId';

export const idempotencyOf = (req: FastifyRequest) => ({
  scope: service.idempotencyScopeOf(actorOf(req)),
  key: (req.headers as { 'idempotency-key'?: string })['idempotency-key'],
});

/** 201 for a new write, 200 with Idempotent-Replayed: true for a replay of the same Idempotency-Key. */
export function sendCreated<T>(reply: FastifyReply, result: { replayed: boolean; view: T }) {
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(result.replayed ? 200 : 201).send(result.view);
}

export function requestsRoutes(app: App, ctx: AppContext) {
  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Envoyer une saisine à un organisme partenaire (Idempotency-Key : un envoi répété ne crée qu’une saisine)',
        params: TerritoryParams,
        headers: IdempotencyHeaders,
        body: CreateRequestBody,
        response: { 200: CreatedRequestView, 201: CreatedRequestView },
      },
    },
    async (req, reply) =>
      sendCreated(
        reply,
        await service.createRequest(ctx, actorOf(req), req.params.territoryId, req.body, idempotencyOf(req), auditContextOf(req)),
      ),
  );
  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'Saisines visibles : celles des lieux d’accueil de l’agent, de l’organisme du référent, ou du territoire (coordination)',
        params: TerritoryParams,
        querystring: RequestListQuery,
        response: { 200: RequestListView },
      },
    },
    async (req) => listRequests(ctx, actorOf(req), req.params.territoryId, req.query),
  );
  app.get(
    `${base}/by-reference/:reference`,
    {
      schema: {
        tags,
        summary:
          'Retrouver une saisine par sa référence (la personne appelle) : statut pour tout agent du territoire, détails pour les parties',
        params: ReferenceParams,
        response: { 200: RequestLookupView },
      },
    },
    async (req) => lookupByReference(ctx, actorOf(req), req.params.territoryId, req.params.reference, auditContextOf(req)),
  );
  app.get(
    `${base}/:requestId`,
    {
      schema: {
        tags,
        summary: 'Une saisine, vue de son côté (lecture journalisée, marquée comme vue)',
        params: RequestParams,
        response: { 200: RequestDetails },
      },
    },
    async (req) => getRequest(ctx, actorOf(req), req.params.territoryId, req.params.requestId, auditContextOf(req)),
  );
  const action = <B extends z.ZodType>(
    path: string,
    summary: string,
    body: B,
    run: (req: FastifyRequest<{ Params: z.infer<typeof RequestParams>; Body: z.infer<B> }>) => Promise<RequestDetails>,
  ) =>
    app.post(
      `${base}/:requestId/${path}`,
      { schema: { tags, summary, params: RequestParams, body, response: { 200: RequestDetails } } },
      async (req) => run(req as never),
    );
  action('take', 'Prendre en charge (une seule personne à la fois : 409 REQUEST_ALREADY_TAKEN pour la seconde)', VersionBody, (req) =>
    service.takeRequest(ctx, actorOf(req), req.params.territoryId, req.params.requestId, req.body.expectedVersion, auditContextOf(req)),
  );
  action('assign', 'Attribuer à un référent de l’organisme', AssignBody, (req) =>
    service.assignRequest(ctx, actorOf(req), req.params.territoryId, req.params.requestId, req.body, auditContextOf(req)),
  );
  action('reroute', 'Ce n’est pas pour nous : réorienter vers un autre organisme (l’historique suit)', RerouteBody, (req) =>
    service.rerouteRequest(ctx, actorOf(req), req.params.territoryId, req.params.requestId, req.body, auditContextOf(req)),
  );
  action('invite', 'Inviter un collègue ou un autre organisme', InviteBody, (req) =>
    service.inviteToRequest(ctx, actorOf(req), req.params.territoryId, req.params.requestId, req.body, auditContextOf(req)),
  );
  action('close', 'Clôturer', CloseBody, (req) =>
    service.closeRequest(ctx, actorOf(req), req.params.territoryId, req.params.requestId, req.body.reason, auditContextOf(req)),
  );
  action('reopen', 'Rouvrir (un nouveau délai de suivi court)', ReopenBody, (req) =>
    service.reopenRequest(ctx, actorOf(req), req.params.territoryId, req.params.requestId, req.body.reason, auditContextOf(req)),
  );
  action('rate', 'Noter l’utilité de la réponse', RateBody, (req) =>
    service.rateRequest(ctx, actorOf(req), req.params.territoryId, req.params.requestId, req.body.usefulness, auditContextOf(req)),
  );
  action('archive', 'Archiver une saisine clôturée (la durée de conservation commence)', z.strictObject({}), (req) =>
    service.archiveRequest(ctx, actorOf(req), req.params.territoryId, req.params.requestId, auditContextOf(req)),
  );
  app.post(
    `${base}/:requestId/messages`,
    {
      schema: {
        tags,
        summary:
          'Écrire dans la conversation : message, réponse, demande d’informations (suspend le délai), note interne (Idempotency-Key)',
        params: RequestParams,
        headers: IdempotencyHeaders,
        body: PostMessageBody,
        response: { 200: RequestDetails, 201: RequestDetails },
      },
    },
    async (req, reply) =>
      sendCreated(
        reply,
        await service.postMessage(
          ctx,
          actorOf(req),
          req.params.territoryId,
          req.params.requestId,
          req.body,
          idempotencyOf(req),
          auditContextOf(req),
        ),
      ),
  );
  app.get(
    `${org}/inbox`,
    {
      schema: {
        tags,
        summary: 'Boîte de réception d’un organisme : saisines par urgence, avec le compte de chaque onglet',
        params: OrganisationInboxParams,
        querystring: InboxQuery,
        response: { 200: InboxView },
      },
    },
    async (req) => inbox(ctx, actorOf(req), req.params.territoryId, req.params.organisationId, req.query),
  );
  app.get(
    `${org}/request-assignees`,
    {
      schema: {
        tags,
        summary: 'Référents et responsables de l’organisme à qui attribuer une saisine',
        params: OrganisationInboxParams,
        response: { 200: AssigneesView },
      },
    },
    async (req) => assignees(ctx, actorOf(req), req.params.territoryId, req.params.organisationId),
  );
  app.get(
    `${org}/request-settings`,
    {
      schema: {
        tags,
        summary: 'Délais, identifiants requis et horaires d’un organisme pour les saisines',
        params: OrganisationInboxParams,
        response: { 200: RequestSettingsView },
      },
    },
    async (req) => service.readSettings(ctx, actorOf(req), req.params.territoryId, req.params.organisationId),
  );
  app.put(
    `${org}/request-settings`,
    {
      schema: {
        tags,
        summary:
          'Régler les délais (jours ouvrés), les identifiants requis et les horaires (un nouveau calendrier vaut pour la suite seulement)',
        params: OrganisationInboxParams,
        body: RequestSettingsBody,
        response: { 200: RequestSettingsView },
      },
    },
    async (req) =>
      service.saveSettings(ctx, actorOf(req), req.params.territoryId, req.params.organisationId, req.body, auditContextOf(req)),
  );
  app.get(
    `${base}/:requestId/receipt`,
    {
      schema: {
        tags,
        summary: 'Récépissé à remettre à la personne : référence, code de suivi, délai (lecture journalisée)',
        params: RequestParams,
        response: { 200: ReceiptView },
      },
    },
    async (req) => readReceipt(ctx, actorOf(req), req.params.territoryId, req.params.requestId, auditContextOf(req)),
  );
  app.post(
    `${base}/:requestId/receipt/sms`,
    {
      schema: {
        tags,
        summary: 'Envoyer la référence et le code de suivi par SMS au numéro du dossier',
        params: RequestParams,
        body: z.strictObject({}).optional(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await smsReceipt(ctx, actorOf(req), req.params.territoryId, req.params.requestId, auditContextOf(req));
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/public/request-status',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['public'],
        summary: 'Où en est ma demande ? Référence et code du récépissé, sans connexion ; essais limités (429)',
        body: PublicStatusBody,
        response: { 200: PublicStatusView },
      },
    },
    async (req) => publicStatus(ctx, req.body, req.ip),
  );
  // Attachments travel as the raw bytes of the file (no base64, no multipart): their own parser and body limit.
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(
      ['application/octet-stream', 'application/pdf', 'image/jpeg', 'image/png', 'image/heic', 'image/heif'],
      { parseAs: 'buffer', bodyLimit: ctx.config.files.maxBytes + 1 },
      (_req, body, done) => done(null, body),
    );
    scope.post(
      `${base}/:requestId/attachments`,
      {
        bodyLimit: ctx.config.files.maxBytes + 1,
        schema: {
          tags,
          summary: 'Joindre un fichier (PDF, JPEG, PNG ; photo HEIC convertie en JPEG) : le corps est le fichier, son nom dans X-File-Name',
          params: RequestParams,
          querystring: z.strictObject({ messageId: z.uuid({ message: 'identifiant invalide' }).optional() }),
          headers: z.object({ 'x-file-name': z.string().min(1, { message: 'nom de fichier manquant (en-tête X-File-Name)' }).max(1000) }),
          response: { 201: AttachmentView },
        },
      },
      async (req, reply) => {
        const raw = req.headers['x-file-name'];
        let fileName = raw;
        try {
          fileName = decodeURIComponent(raw);
        } catch {
          // not URI-encoded: keep it as sent
        }
        const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const view = await uploadAttachment(
          ctx,
          actorOf(req),
          req.params.territoryId,
          req.params.requestId,
          { fileName, bytes, messageId: req.query.messageId },
          auditContextOf(req),
        );
        return reply.code(201).send(view);
      },
    );
  });
  app.get(
    `${base}/:requestId/attachments/:attachmentId`,
    { schema: { tags, summary: 'Télécharger une pièce jointe (parties seulement, journalisé)', params: AttachmentParams } },
    async (req, reply) => {
      const file = await downloadAttachment(
        ctx,
        actorOf(req),
        req.params.territoryId,
        req.params.requestId,
        req.params.attachmentId,
        auditContextOf(req),
      );
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(file.data);
    },
  );
}
