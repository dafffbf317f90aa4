import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { TerritoryParams, Uuid } from '../../../contracts/common.ts';
import { ApiTokenView, CreateApiTokenBody, CreatedApiToken } from '../../../contracts/members.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { recordAudit } from '../../platform/audit.ts';
import { actorOf, auditContextOf } from '../../platform/auth.ts';
import { type Actor, authorize, can } from '../../platform/authorize.ts';
import { newSecretToken } from '../../platform/crypto.ts';
import { forbidden, invalid, notFound } from '../../platform/errors.ts';
import { partnerOrganisations, territories } from '../network/network.schema.ts';
import { apiTokens } from './accounts.schema.ts';

const tags = ['jetons d’API'];
const iso = (d: Date | null) => d?.toISOString() ?? null;
const present = (t: typeof apiTokens.$inferSelect) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  organisationId: t.organisationId,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt.toISOString(),
  revokedAt: iso(t.revokedAt),
  lastUsedAt: iso(t.lastUsedAt),
});

/** Organisations whose tokens the actor manages: all for a coordinator, their own for a manager. */
function manageableOrganisations(actor: Actor, territoryId: string): string[] | 'all' {
  if (can(actor, 'api_tokens.manage_all', { territoryId })) return 'all';
  if (actor.kind !== 'user') return [];
  return actor.memberships
    .filter((m) => m.territoryId === territoryId && m.role === 'manager' && m.organisationId)
    .map((m) => m.organisationId!);
}

export function apiTokensRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/territories/:territoryId/api-tokens',
    { schema: { tags, summary: 'Jetons d’API des partenaires', params: TerritoryParams, response: { 200: z.array(ApiTokenView) } } },
    async (req) => {
      const { territoryId } = req.params;
      authorize(actorOf(req), 'territory.read', { territoryId });
      const orgs = manageableOrganisations(actorOf(req), territoryId);
      if (orgs !== 'all' && !orgs.length) throw forbidden();
      const rows = await ctx.db
        .select()
        .from(apiTokens)
        .where(and(eq(apiTokens.territoryId, territoryId), orgs === 'all' ? undefined : inArray(apiTokens.organisationId, orgs)))
        .orderBy(desc(apiTokens.createdAt));
      return rows.map(present);
    },
  );

  app.post(
    '/api/territories/:territoryId/api-tokens',
    {
      schema: {
        tags,
        summary: 'Créer un jeton d’API (affiché une seule fois)',
        params: TerritoryParams,
        body: CreateApiTokenBody,
        response: { 201: CreatedApiToken },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const { territoryId } = req.params;
      authorize(actor, 'api_tokens.manage', { territoryId, organisationId: req.body.organisationId });
      const [org] = await ctx.db
        .select()
        .from(partnerOrganisations)
        .where(and(eq(partnerOrganisations.id, req.body.organisationId), eq(partnerOrganisations.territoryId, territoryId)));
      if (!org) throw invalid('ORGANISATION_UNKNOWN', 'Ce partenaire n’existe pas dans ce territoire.');
      const { token, hash } = newSecretToken('rls_');
      const now = ctx.clock.now();
      const row = await ctx.db.transaction(async (tx) => {
        const [created] = await tx
          .insert(apiTokens)
          .values({
            territoryId,
            organisationId: org.id,
            name: req.body.name,
            prefix: token.slice(0, 10),
            tokenHash: hash,
            createdBy: actor.kind === 'user' ? actor.userId : (null as never),
            createdAt: now,
            expiresAt: new Date(now.getTime() + req.body.expiresInDays * 86_400_000),
          })
          .returning();
        await recordAudit(tx, auditContextOf(req), {
          type: 'api_token.created',
          territoryId,
          targetType: 'api_token',
          targetId: created!.id,
          data: { organisationId: org.id, name: req.body.name },
        });
        return created!;
      });
      return reply.code(201).send({ ...present(row), token });
    },
  );

  app.delete(
    '/api/territories/:territoryId/api-tokens/:id',
    {
      schema: {
        tags,
        summary: 'Révoquer un jeton d’API',
        params: z.strictObject({ territoryId: Uuid, id: Uuid }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const { territoryId, id } = req.params;
      authorize(actor, 'territory.read', { territoryId });
      const [row] = await ctx.db
        .select()
        .from(apiTokens)
        .where(and(eq(apiTokens.id, id), eq(apiTokens.territoryId, territoryId)));
      if (!row) throw notFound('Ce jeton');
      authorize(actor, 'api_tokens.manage', { territoryId, organisationId: row.organisationId });
      await ctx.db.transaction(async (tx) => {
        await tx
          .update(apiTokens)
          .set({ revokedAt: ctx.clock.now() })
          .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
        await recordAudit(tx, auditContextOf(req), { type: 'api_token.revoked', territoryId, targetType: 'api_token', targetId: id });
      });
      return reply.code(204).send(null);
    },
  );

  // What a partner information system sees with its token; the partner API proper comes with escalations.
  app.get(
    '/api/partner/v1/whoami',
    {
      config: { auth: 'api_token' },
      schema: {
        tags,
        summary: 'Identité du jeton d’API',
        response: {
          200: z.object({
            territory: z.object({ id: Uuid, name: z.string() }),
            organisation: z.object({ id: Uuid, name: z.string(), acronym: z.string() }),
          }),
        },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      if (actor.kind !== 'api_token') throw notFound('Ce jeton');
      const [row] = await ctx.db
        .select({
          tId: territories.id,
          tName: territories.name,
          oId: partnerOrganisations.id,
          oName: partnerOrganisations.name,
          acronym: partnerOrganisations.acronym,
        })
        .from(partnerOrganisations)
        .innerJoin(territories, eq(territories.id, partnerOrganisations.territoryId))
        .where(eq(partnerOrganisations.id, actor.organisationId));
      if (!row) throw notFound('Ce partenaire');
      return { territory: { id: row.tId, name: row.tName }, organisation: { id: row.oId, name: row.oName, acronym: row.acronym } };
    },
  );
}
