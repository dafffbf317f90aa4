import { and, asc, eq, gt, inArray, isNull, ne, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  CreateContactPointBody,
  CreateOrganisationBody,
  CreateTerritoryBody,
  OpeningHoursPreviewBody,
  SetServedPartnersBody,
  UpdateContactPointBody,
} from '../../../contracts/network.ts';
import { REQUIRED_OPERATORS } from '../../../contracts/partner-catalogue.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { type AuditContext, recordAudit, valuesBefore } from '../../platform/audit.ts';
import { type Actor, authorize } from '../../platform/authorize.ts';
import { validateOpeningHours } from '../../platform/calendar/opening-hours.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { memberships, users } from '../accounts/accounts.schema.ts';
import { MOBILE_KINDS } from './bus-stops.service.ts';
import { checkedOpeningHours, hoursStatus, openHoursPerWeek, weekOf } from './hours.ts';
import { checkLabel } from './label-check.ts';
import { busStops, contactPointPartners, contactPoints, partnerOrganisations, territories } from './network.schema.ts';
import { territoryOf } from './territory.ts';

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
  return territoryOf(ctx.db, territoryId);
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

type ContactPointRow = typeof contactPoints.$inferSelect;
type Territory = typeof territories.$inferSelect;
type NextStops = Map<string, { startsAt: string; endsAt: string; commune: string; place: string; current: boolean }>;
const isMobile = (row: ContactPointRow) => (MOBILE_KINDS as readonly string[]).includes(row.kind);
const withStatus = (row: ContactPointRow, territory: Territory, at: Date, nextStops: NextStops) => ({
  ...row,
  now: hoursStatus(row, territory, at),
  nextStop: isMobile(row) && !(row.closedAt && row.closedAt <= at) ? (nextStops.get(row.id) ?? null) : null,
});

/**
 * The next stop (the current one while it lasts) of the buses and antennas of a territory, or of
 * one of them: one query, the first stop not cancelled and not over of each contact point.
 */
async function nextStopsOf(db: Executor, territoryId: string, at: Date, contactPointId?: string): Promise<NextStops> {
  const rows = await db
    .selectDistinctOn([busStops.contactPointId], {
      contactPointId: busStops.contactPointId,
      startsAt: busStops.startsAt,
      endsAt: busStops.endsAt,
      commune: busStops.commune,
      place: busStops.place,
    })
    .from(busStops)
    .where(
      and(
        eq(busStops.territoryId, territoryId),
        contactPointId === undefined ? undefined : eq(busStops.contactPointId, contactPointId),
        isNull(busStops.cancelledAt),
        gt(busStops.endsAt, at),
      ),
    )
    .orderBy(busStops.contactPointId, asc(busStops.startsAt));
  return new Map(
    rows.map((r) => [
      r.contactPointId,
      {
        startsAt: r.startsAt.toISOString(),
        endsAt: r.endsAt.toISOString(),
        commune: r.commune,
        place: r.place,
        current: r.startsAt <= at,
      },
    ]),
  );
}

export async function listContactPoints(ctx: AppContext, actor: Actor, territoryId: string) {
  authorize(actor, 'territory.read', { territoryId });
  const territory = await territoryOf(ctx.db, territoryId);
  const rows = await ctx.db.select().from(contactPoints).where(eq(contactPoints.territoryId, territoryId)).orderBy(contactPoints.name);
  const at = ctx.clock.now();
  const nextStops = rows.some(isMobile) ? await nextStopsOf(ctx.db, territoryId, at) : new Map();
  return rows.map((row) => withStatus(row, territory, at, nextStops));
}

async function findContactPoint(db: Executor, territoryId: string, id: string) {
  const [row] = await db
    .select()
    .from(contactPoints)
    .where(and(eq(contactPoints.territoryId, territoryId), eq(contactPoints.id, id)));
  if (!row) throw notFound('Ce lieu d’accueil');
  return row;
}

export async function getContactPoint(ctx: AppContext, actor: Actor, territoryId: string, id: string) {
  authorize(actor, 'territory.read', { territoryId });
  const territory = await territoryOf(ctx.db, territoryId);
  const row = await findContactPoint(ctx.db, territoryId, id);
  const at = ctx.clock.now();
  return withStatus(row, territory, at, isMobile(row) ? await nextStopsOf(ctx.db, territoryId, at, id) : new Map());
}

/** Partners served at some contact points of a territory, with the organisation's names. */
async function servedPartners(db: Executor, territoryId: string, contactPointIds: string[]) {
  if (!contactPointIds.length) return [];
  return db
    .select({
      contactPointId: contactPointPartners.contactPointId,
      organisationId: contactPointPartners.organisationId,
      note: contactPointPartners.note,
      name: partnerOrganisations.name,
      acronym: partnerOrganisations.acronym,
      nationalCode: partnerOrganisations.nationalCode,
    })
    .from(contactPointPartners)
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, contactPointPartners.organisationId))
    .where(and(eq(contactPointPartners.territoryId, territoryId), inArray(contactPointPartners.contactPointId, contactPointIds)))
    .orderBy(partnerOrganisations.name);
}

/** Agents working at some contact points (accounts not deactivated). */
async function agentsAt(db: Executor, territoryId: string, contactPointIds: string[]) {
  if (!contactPointIds.length) return [];
  return db
    .select({ contactPointId: memberships.contactPointId, userId: users.id, displayName: users.displayName, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.territoryId, territoryId),
        eq(memberships.role, 'agent'),
        inArray(memberships.contactPointId, contactPointIds),
        ne(users.status, 'deactivated'),
      ),
    )
    .orderBy(users.displayName);
}

function labelCheckOf(
  cp: ContactPointRow,
  territory: Territory,
  at: Date,
  agentCount: number,
  partners: { nationalCode: string | null }[],
) {
  return checkLabel(
    {
      weeklyOpenHours: openHoursPerWeek(cp.openingHours, territory, at),
      agentCount,
      coveredOperatorCodes: partners.map((p) => p.nationalCode),
    },
    REQUIRED_OPERATORS,
  );
}

/** A contact point with what the screens compute: open now, this week, partners served, agents, label check. */
export async function getContactPointDetails(ctx: AppContext, actor: Actor, territoryId: string, id: string) {
  authorize(actor, 'territory.read', { territoryId });
  const territory = await territoryOf(ctx.db, territoryId);
  const cp = await findContactPoint(ctx.db, territoryId, id);
  const at = ctx.clock.now();
  const partners = await servedPartners(ctx.db, territoryId, [id]);
  const agents = await agentsAt(ctx.db, territoryId, [id]);
  return {
    ...withStatus(cp, territory, at, isMobile(cp) ? await nextStopsOf(ctx.db, territoryId, at, id) : new Map()),
    week: weekOf(cp.openingHours, territory, at),
    weeklyOpenHours: openHoursPerWeek(cp.openingHours, territory, at),
    partners: partners.map(({ contactPointId: _, ...p }) => p),
    agents: agents.map(({ contactPointId: _, ...a }) => a),
    labelCheck: cp.kind === 'france_services' ? labelCheckOf(cp, territory, at, agents.length, partners) : null,
  };
}

/** The label check of every open France Services of the territory (coordination). */
export async function listLabelChecks(ctx: AppContext, actor: Actor, territoryId: string) {
  authorize(actor, 'network.write', { territoryId });
  const territory = await territoryOf(ctx.db, territoryId);
  const houses = await ctx.db
    .select()
    .from(contactPoints)
    .where(and(eq(contactPoints.territoryId, territoryId), eq(contactPoints.kind, 'france_services'), isNull(contactPoints.closedAt)))
    .orderBy(contactPoints.name);
  const ids = houses.map((h) => h.id);
  const partners = await servedPartners(ctx.db, territoryId, ids);
  const agents = await agentsAt(ctx.db, territoryId, ids);
  const at = ctx.clock.now();
  return houses.map((cp) => ({
    contactPointId: cp.id,
    name: cp.name,
    commune: cp.commune,
    matricule: cp.matricule,
    labelCheck: labelCheckOf(
      cp,
      territory,
      at,
      agents.filter((a) => a.contactPointId === cp.id).length,
      partners.filter((p) => p.contactPointId === cp.id),
    ),
  }));
}

const duplicateName = () => conflict('CONTACT_POINT_NAME_TAKEN', 'Un lieu d’accueil porte déjà ce nom dans le territoire.');
const duplicateMatricule = () =>
  conflict('CONTACT_POINT_MATRICULE_TAKEN', 'Une France Services porte déjà ce matricule dans le territoire.');
/** The name of the constraint a database error is about (drizzle wraps the driver's error). */
function constraintOf(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; e && depth < 4; depth++) {
    const constraint = (e as { constraint?: unknown }).constraint;
    if (typeof constraint === 'string') return constraint;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
const uniqueViolation = (error: unknown) =>
  constraintOf(error) === 'contact_points_territory_matricule' ? duplicateMatricule() : duplicateName();

/** Rules across fields, on the values the contact point will have once the change is applied. */
function checkConsistency(merged: { kind: string; matricule?: string | null; labelDate?: string | null }, input: Record<string, unknown>) {
  const errors: { path: string; message: string }[] = [];
  if (merged.kind !== 'france_services') {
    if (input.matricule) errors.push({ path: 'body.matricule', message: 'seule une France Services a un matricule' });
    if (input.labelDate) errors.push({ path: 'body.labelDate', message: 'seule une France Services a une date de labellisation' });
  }
  if (errors.length)
    throw invalid('LABEL_ONLY_FRANCE_SERVICES', 'Le matricule et la date de labellisation sont réservés aux France Services.', errors);
}

type ContactPointInput = z.infer<typeof CreateContactPointBody>;
const normalised = <T extends Partial<ContactPointInput>>(input: T): T => {
  const out = { ...input };
  if ('openingHours' in input) out.openingHours = checkedOpeningHours(input.openingHours);
  if (input.inseeCode) out.inseeCode = input.inseeCode.toUpperCase();
  return out;
};

export async function createContactPoint(ctx: AppContext, actor: Actor, territoryId: string, body: ContactPointInput, audit: AuditContext) {
  authorize(actor, 'network.write', { territoryId });
  await getTerritory(ctx, actor, territoryId);
  const input = normalised(body);
  checkConsistency(input, input);
  const created = await ctx.db.transaction(async (tx) => {
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
      if (isUniqueViolation(error)) throw uniqueViolation(error);
      throw error;
    }
  });
  return getContactPoint(ctx, actor, territoryId, created.id);
}

export async function updateContactPoint(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  id: string,
  body: z.infer<typeof UpdateContactPointBody>,
  audit: AuditContext,
) {
  authorize(actor, 'network.write', { territoryId });
  await territoryOf(ctx.db, territoryId);
  const input = normalised(body);
  const before = await findContactPoint(ctx.db, territoryId, id);
  checkConsistency({ ...before, ...input }, input);
  const latitude = input.latitude === undefined ? before.latitude : input.latitude;
  const longitude = input.longitude === undefined ? before.longitude : input.longitude;
  if ((latitude === null) !== (longitude === null))
    throw invalid('VALIDATION_FAILED', 'Certaines valeurs envoyées sont invalides.', [
      { path: latitude === null ? 'body.latitude' : 'body.longitude', message: 'latitude et longitude vont ensemble' },
    ]);
  // New hours answer the import's review request.
  const changes = 'openingHours' in input ? { ...input, hoursReview: null } : input;
  await ctx.db.transaction(async (tx) => {
    try {
      await tx
        .update(contactPoints)
        .set({ ...changes, updatedAt: ctx.clock.now() })
        .where(and(eq(contactPoints.territoryId, territoryId), eq(contactPoints.id, id)));
      await recordAudit(tx, audit, {
        type: 'contact_point.updated',
        territoryId,
        targetType: 'contact_point',
        targetId: id,
        data: { before: valuesBefore(before, changes), after: changes },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw uniqueViolation(error);
      throw error;
    }
  });
  return getContactPoint(ctx, actor, territoryId, id);
}

/** Closes a contact point (it stays in the journal and the history) or reopens it. */
export async function setContactPointClosed(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  id: string,
  closed: boolean,
  audit: AuditContext,
) {
  authorize(actor, 'network.write', { territoryId });
  await territoryOf(ctx.db, territoryId);
  const before = await findContactPoint(ctx.db, territoryId, id);
  if (closed && before.closedAt) throw conflict('CONTACT_POINT_ALREADY_CLOSED', 'Ce lieu d’accueil est déjà fermé.');
  if (!closed && !before.closedAt) throw conflict('CONTACT_POINT_NOT_CLOSED', 'Ce lieu d’accueil est ouvert : il n’y a rien à rouvrir.');
  const now = ctx.clock.now();
  const closedAt = closed ? now : null;
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(contactPoints)
      .set({ closedAt, updatedAt: now })
      .where(and(eq(contactPoints.territoryId, territoryId), eq(contactPoints.id, id)));
    await recordAudit(tx, audit, {
      type: closed ? 'contact_point.closed' : 'contact_point.reopened',
      territoryId,
      targetType: 'contact_point',
      targetId: id,
      data: { before: { closedAt: before.closedAt?.toISOString() ?? null }, after: { closedAt: closedAt?.toISOString() ?? null } },
    });
  });
  return getContactPoint(ctx, actor, territoryId, id);
}

/** Replaces the set of partners served at a contact point (organisations of the same territory only). */
export async function setServedPartners(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  id: string,
  input: SetServedPartnersBody,
  audit: AuditContext,
) {
  authorize(actor, 'network.write', { territoryId });
  await territoryOf(ctx.db, territoryId);
  await findContactPoint(ctx.db, territoryId, id);
  const wanted = input.partners.map((p) => ({ organisationId: p.organisationId, note: p.note ?? null }));
  const ids = wanted.map((p) => p.organisationId);
  if (ids.length) {
    const known = await ctx.db
      .select({ id: partnerOrganisations.id })
      .from(partnerOrganisations)
      .where(and(eq(partnerOrganisations.territoryId, territoryId), inArray(partnerOrganisations.id, ids)));
    const knownIds = new Set(known.map((k) => k.id));
    const errors = wanted
      .map((p, i) => ({ p, i }))
      .filter(({ p }) => !knownIds.has(p.organisationId))
      .map(({ i }) => ({ path: `body.partners.${i}.organisationId`, message: 'ce partenaire n’appartient pas à ce territoire' }));
    if (errors.length)
      throw invalid('ORGANISATION_NOT_IN_TERRITORY', 'Certains partenaires choisis n’appartiennent pas à ce territoire.', errors);
  }
  await ctx.db.transaction(async (tx) => {
    const before = await tx
      .select({ organisationId: contactPointPartners.organisationId, note: contactPointPartners.note })
      .from(contactPointPartners)
      .where(and(eq(contactPointPartners.territoryId, territoryId), eq(contactPointPartners.contactPointId, id)))
      .orderBy(contactPointPartners.organisationId);
    await tx
      .delete(contactPointPartners)
      .where(and(eq(contactPointPartners.territoryId, territoryId), eq(contactPointPartners.contactPointId, id)));
    if (wanted.length) await tx.insert(contactPointPartners).values(wanted.map((p) => ({ ...p, territoryId, contactPointId: id })));
    const after = [...wanted].sort((a, b) => a.organisationId.localeCompare(b.organisationId));
    await recordAudit(tx, audit, {
      type: 'contact_point.partners_set',
      territoryId,
      targetType: 'contact_point',
      targetId: id,
      data: { before, after },
    });
  });
  return servedPartners(ctx.db, territoryId, [id]).then((rows) => rows.map(({ contactPointId: _, ...p }) => p));
}

/** Checks an opening_hours value and shows its current week in a territory's calendar (the editor's preview). */
export async function previewOpeningHours(ctx: AppContext, actor: Actor, input: z.infer<typeof OpeningHoursPreviewBody>) {
  authorize(actor, 'territory.read', { territoryId: input.territoryId });
  const territory = await territoryOf(ctx.db, input.territoryId);
  const at = ctx.clock.now();
  const value = input.value.trim();
  if (!value)
    return {
      ok: true,
      message: null,
      normalized: null,
      week: weekOf(null, territory, at),
      weeklyOpenHours: null,
      now: hoursStatus({ openingHours: null }, territory, at),
    };
  const result = validateOpeningHours(value);
  if (!result.ok) return { ok: false, message: result.message, normalized: null, week: [], weeklyOpenHours: null, now: null };
  return {
    ok: true,
    message: result.warnings.length ? result.warnings.join(' ') : null,
    normalized: result.normalized,
    week: weekOf(value, territory, at),
    weeklyOpenHours: openHoursPerWeek(value, territory, at),
    now: hoursStatus({ openingHours: value }, territory, at),
  };
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
