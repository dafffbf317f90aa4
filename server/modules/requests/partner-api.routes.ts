import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Uuid } from '../../../contracts/common.ts';
import {
  AssignBody,
  CloseBody,
  IdempotencyHeaders,
  InboxQuery,
  InboxView,
  PostMessageBody,
  RequestDetails,
  RerouteBody,
} from '../../../contracts/requests.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { actorOf, auditContextOf } from '../../platform/auth.ts';
import { forbidden } from '../../platform/errors.ts';
import { getRequest, inbox } from './requests.queries.ts';
import { idempotencyOf, sendCreated } from './requests.routes.ts';
import * as service from './requests.service.ts';

/**
 * The partner integration API: a partner's information system, with an API token of its
 * organisation (Authorization: Bearer rls_…), lists its inbox, reads a request, answers, asks for
 * information, assigns, re-routes and closes. Same services, same rules and journal as the web
 * app; the territory and organisation come from the token.
 */
const tags = ['API partenaires'];
const base = '/api/partner/v1/requests';
const Params = z.strictObject({ requestId: Uuid });

function tokenOf(req: FastifyRequest) {
  const actor = actorOf(req);
  if (actor.kind !== 'api_token') throw forbidden('Cette API s’utilise avec un jeton d’API d’organisme.');
  return actor;
}

export function partnerApiRoutes(app: App, ctx: AppContext) {
  const config = { auth: 'api_token' as const };
  app.get(
    base,
    {
      config,
      schema: {
        tags,
        summary: 'Boîte de réception de l’organisme du jeton (par urgence, onglets comptés)',
        querystring: InboxQuery,
        response: { 200: InboxView },
      },
    },
    async (req) => {
      const token = tokenOf(req);
      return inbox(ctx, token, token.territoryId, token.organisationId, req.query);
    },
  );
  app.get(
    `${base}/:requestId`,
    { config, schema: { tags, summary: 'Une saisine (lecture journalisée)', params: Params, response: { 200: RequestDetails } } },
    async (req) => getRequest(ctx, tokenOf(req), tokenOf(req).territoryId, req.params.requestId, auditContextOf(req)),
  );
  app.post(
    `${base}/:requestId/messages`,
    {
      config,
      schema: {
        tags,
        summary: 'Répondre, demander des informations (le délai est suspendu), message d’attente ou note interne (Idempotency-Key)',
        params: Params,
        headers: IdempotencyHeaders,
        body: PostMessageBody,
        response: { 200: RequestDetails, 201: RequestDetails },
      },
    },
    async (req, reply) => {
      const token = tokenOf(req);
      return sendCreated(
        reply,
        await service.postMessage(ctx, token, token.territoryId, req.params.requestId, req.body, idempotencyOf(req), auditContextOf(req)),
      );
    },
  );
  app.post(
    `${base}/:requestId/assign`,
    {
      config,
      schema: {
        tags,
        summary: 'Attribuer à un référent de l’organisme',
        params: Params,
        body: AssignBody,
        response: { 200: RequestDetails },
      },
    },
    async (req) => service.assignRequest(ctx, tokenOf(req), tokenOf(req).territoryId, req.params.requestId, req.body, auditContextOf(req)),
  );
  app.post(
    `${base}/:requestId/reroute`,
    {
      config,
      schema: {
        tags,
        summary: 'Réorienter vers un autre organisme du territoire',
        params: Params,
        body: RerouteBody,
        response: { 200: RequestDetails },
      },
    },
    async (req) => service.rerouteRequest(ctx, tokenOf(req), tokenOf(req).territoryId, req.params.requestId, req.body, auditContextOf(req)),
  );
  app.post(
    `${base}/:requestId/close`,
    { config, schema: { tags, summary: 'Clôturer', params: Params, body: CloseBody, response: { 200: RequestDetails } } },
    async (req) =>
      service.closeRequest(ctx, tokenOf(req), tokenOf(req).territoryId, req.params.requestId, req.body.reason, auditContextOf(req)),
  );
}
