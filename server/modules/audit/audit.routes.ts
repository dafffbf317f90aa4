import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { TerritoryParams } from '../../../contracts/common.ts';
import { AuditEventView, AuditQuery } from '../../../contracts/members.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { actorOf } from '../../platform/auth.ts';
import { authorize } from '../../platform/authorize.ts';
import { memberships, users } from '../accounts/accounts.schema.ts';
import { auditEvents } from './audit.schema.ts';

/**
 * The territory's events, and the account events (sign-ins, lockouts) of its members since they
 * joined it: inviting a known address must not open that person's earlier history to a coordinator.
 */
const inTerritory = (territoryId: string) =>
  or(
    eq(auditEvents.territoryId, territoryId),
    and(
      isNull(auditEvents.territoryId),
      eq(auditEvents.targetType, 'user'),
      sql`EXISTS (SELECT 1 FROM ${memberships} WHERE ${memberships.territoryId} = ${territoryId} AND ${memberships.userId}::text = ${auditEvents.targetId} AND ${memberships.createdAt} <= ${auditEvents.occurredAt})`,
    ),
  );

export function auditRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/territories/:territoryId/audit-events',
    {
      schema: {
        tags: ['journal'],
        summary: 'Journal de sécurité du territoire (le plus récent d’abord)',
        params: TerritoryParams,
        querystring: AuditQuery,
        response: { 200: z.object({ items: z.array(AuditEventView), nextBefore: z.number().nullable() }) },
      },
    },
    async (req) => {
      const { territoryId } = req.params;
      authorize(actorOf(req), 'audit.read', { territoryId });
      const { type, before, limit } = req.query;
      const rows = await ctx.db
        .select({ event: auditEvents, actorName: users.displayName })
        .from(auditEvents)
        .leftJoin(users, eq(users.id, auditEvents.actorUserId))
        .where(
          and(inTerritory(territoryId), type ? eq(auditEvents.type, type) : undefined, before ? lt(auditEvents.id, before) : undefined),
        )
        .orderBy(desc(auditEvents.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      return {
        items: page.map(({ event: e, actorName }) => ({
          id: e.id,
          occurredAt: e.occurredAt.toISOString(),
          type: e.type,
          actorUserId: e.actorUserId,
          actorName,
          actorTokenId: e.actorTokenId,
          targetType: e.targetType,
          targetId: e.targetId,
          data: e.data,
          ip: e.ip,
        })),
        nextBefore: rows.length > limit ? (page.at(-1)?.event.id ?? null) : null,
      };
    },
  );
}
