import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  CreateContactPointBody,
  CreateOrganisationBody,
  CreateTerritoryBody,
  UpdateContactPointBody,
} from '../../../contracts/network.ts';
import type { AppContext } from '../../app-context.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, authorize } from '../../platform/authorize.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { contactPoints, partnerOrganisations, territories } from './network.schema.ts';

/** Territories the actor belongs to (all of them for a platform administrator). */
export async function listTerritories(ctx: AppContext, actor: Actor) {
  let where: SQL | undefined;
  if (actor.kind === 'api_token') where = eq(territories.id, actor.territoryId);
  else if (!actor.isPlatformAdmin) {
    const ids = [...new Set(actor.memberships.map((m) => m.territoryId))];
    if (!ids.length) return [];
    where = inArray(territories.id, ids);
  }
  return ctx.db.select().from(territories).where(where).orderBy(territories.name);
}

export async function getTerritory(ctx: AppContext, actor: Actor, territoryId: string) {
  authorize(actor, 'territory.read', { territoryId });
  const [row] = await ctx.db.select().from(territories).where(eq(territories.id, territoryId));
  if (!row) throw notFound('Ce territoire');
  return row;
}

export async function createTerritory(ctx: AppContext, actor: Actor, input: z.infer<typeof CreateTerritoryBody>, audit: AuditContext) {
  authorize(actor, 'territory.create', undefined as never);
  return ctx.db.transaction(async (tx) => {
    try {
      const [row] = await tx.insert(territories).values(input).returning();
      await recordAudit(tx, audit, {
        type: 'territory.created',
        territoryId: row!.id,
        targetType: 'territory',
        targetId: row!.id,
        data: input,
      });
      return row!;
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('TERRITORY_SLUG_TAKEN', 'Un territoire porte déjà cet identifiant.');
      throw error;
    }
  });
}

export async function listContactPoints(ctx: AppContext, actor: Actor, territoryId: string) {
  authorize(actor, 'territory.read', { territoryId });
  return ctx.db.select().from(contactPoints).where(eq(contactPoints.territoryId, territoryId)).orderBy(contactPoints.name);
}

export async function getContactPoint(ctx: AppContext, actor: Actor, territoryId: string, id: string) {
  authorize(actor, 'territory.read', { territoryId });
  const [row] = await ctx.db
    .select()
    .from(contactPoints)
    .where(and(eq(contactPoints.territoryId, territoryId), eq(contactPoints.id, id)));
  if (!row) throw notFound('Ce lieu d’accueil');
  return row;
}

const duplicateName = () => conflict('CONTACT_POINT_NAME_TAKEN', 'Un lieu d’accueil porte déjà ce nom dans le territoire.');

export async function createContactPoint(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  input: z.infer<typeof CreateContactPointBody>,
  audit: AuditContext,
) {
  authorize(actor, 'network.write', { territoryId });
  await getTerritory(ctx, actor, territoryId);
  return ctx.db.transaction(async (tx) => {
    try {
      const [row] = await tx
        .insert(contactPoints)
        .values({ ...input, territoryId })
        .returning();
      await recordAudit(tx, audit, {
        type: 'contact_point.created',
        territoryId,
        targetType: 'contact_point',
        targetId: row!.id,
        data: { after: input },
      });
      return row!;
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateName();
      throw error;
    }
  });
}

export async function updateContactPoint(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  id: string,
  input: z.infer<typeof UpdateContactPointBody>,
  audit: AuditContext,
) {
  authorize(actor, 'network.write', { territoryId });
  const before = await getContactPoint(ctx, actor, territoryId, id);
  return ctx.db.transaction(async (tx) => {
    try {
      const [row] = await tx
        .update(contactPoints)
        .set({ ...input, updatedAt: ctx.clock.now() })
        .where(and(eq(contactPoints.territoryId, territoryId), eq(contactPoints.id, id)))
        .returning();
      const changed = Object.keys(input) as (keyof typeof input)[];
      await recordAudit(tx, audit, {
        type: 'contact_point.updated',
        territoryId,
        targetType: 'contact_point',
        targetId: id,
        data: { before: Object.fromEntries(changed.map((k) => [k, before[k]])), after: input },
      });
      return row!;
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateName();
      throw error;
    }
  });
}

export async function listOrganisations(ctx: AppContext, actor: Actor, territoryId: string) {
  authorize(actor, 'territory.read', { territoryId });
  return ctx.db
    .select()
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.territoryId, territoryId))
    .orderBy(partnerOrganisations.name);
}

export async function createOrganisation(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  input: z.infer<typeof CreateOrganisationBody>,
  audit: AuditContext,
) {
  authorize(actor, 'network.write', { territoryId });
  await getTerritory(ctx, actor, territoryId);
  return ctx.db.transaction(async (tx) => {
    try {
      const [row] = await tx
        .insert(partnerOrganisations)
        .values({ ...input, territoryId })
        .returning();
      await recordAudit(tx, audit, {
        type: 'organisation.created',
        territoryId,
        targetType: 'organisation',
        targetId: row!.id,
        data: { after: input },
      });
      return row!;
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('ORGANISATION_ACRONYM_TAKEN', 'Un partenaire porte déjà ce sigle dans le territoire.');
      throw error;
    }
  });
}
