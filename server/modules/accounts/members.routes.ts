import { z } from 'zod';
import { TerritoryParams, Uuid } from '../../../contracts/common.ts';
import { InviteBody, InviteResult, MemberView } from '../../../contracts/members.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { actorOf, auditContextOf } from '../../platform/auth.ts';
import { inviteMember, listMembers, reactivateMember, revokeMembership } from './members.service.ts';

const tags = ['membres'];

export function membersRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/territories/:territoryId/members',
    {
      schema: {
        tags,
        summary: 'Membres visibles (tous pour la coordination, ceux de mon lieu ou partenaire sinon)',
        params: TerritoryParams,
        response: { 200: z.array(MemberView) },
      },
    },
    async (req) => listMembers(ctx, actorOf(req), req.params.territoryId),
  );
  app.post(
    '/api/territories/:territoryId/invitations',
    {
      schema: {
        tags,
        summary: 'Inviter une personne avec un rôle',
        params: TerritoryParams,
        body: InviteBody,
        response: { 201: InviteResult },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await inviteMember(ctx, actorOf(req), req.params.territoryId, req.body, auditContextOf(req))),
  );
  app.delete(
    '/api/territories/:territoryId/memberships/:membershipId',
    {
      schema: {
        tags,
        summary: 'Retirer un rôle',
        params: z.strictObject({ territoryId: Uuid, membershipId: Uuid }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await revokeMembership(ctx, actorOf(req), req.params.territoryId, req.params.membershipId, auditContextOf(req));
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/territories/:territoryId/members/:userId/reactivate',
    {
      schema: {
        tags,
        summary: 'Réactiver un compte désactivé',
        params: z.strictObject({ territoryId: Uuid, userId: Uuid }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await reactivateMember(ctx, actorOf(req), req.params.territoryId, req.params.userId, auditContextOf(req));
      return reply.code(204).send(null);
    },
  );
}
