import { and, asc, desc, eq, gte, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { Themes } from '../../../contracts/themes.ts';
import type {
  CorrectVisitBody,
  CreateVisitBody,
  VisitActions,
  VisitAutonomies,
  VisitChannels,
  VisitListQuery,
  VisitListView,
  VisitShortcutsView,
  VisitView,
} from '../../../contracts/visits.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, authorize, can, requireUser, type UserActor } from '../../platform/authorize.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.ts';
import { users } from '../accounts/accounts.schema.ts';
import { busStops, contactPointPartners, contactPoints, partnerOrganisations } from '../network/network.schema.ts';
import { territoryOf } from '../network/territory.ts';
import { touchPerson } from '../people/activity.ts';
import { checkMandateForVisit } from '../people/mandates.queries.ts';
import { personContactPoints } from '../people/people.schema.ts';
import { activeThemeCodes } from './taxonomy.service.ts';
import { visitActions, visitAutonomies, visitChannels, visits } from './visits.schema.ts';

// The contract and the table list the same values (a compile error here means they drifted apart).
const sameValues: [typeof VisitChannels, typeof VisitActions, typeof VisitAutonomies] = [visitChannels, visitActions, visitAutonomies];
void sameValues;

type Visit = typeof visits.$inferSelect;
type CreateInput = z.output<typeof CreateVisitBody>;

/** How far ahead of the server's clock a visit may be dated (clocks of the agents' computers drift). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const SHORTCUT_DAYS = 90;
const SHORTCUT_COUNT = 9;

const notAgentHere = () =>
  forbidden('Vous n’êtes pas agent de ce lieu d’accueil : vous ne pouvez pas y noter d’accueil ni voir ses accueils.');

/** The contact points of the territory where the actor is an agent. */
const agentContactPoints = (actor: UserActor, territoryId: string) =>
  actor.memberships.filter((m) => m.territoryId === territoryId && m.role === 'agent' && m.contactPointId).map((m) => m.contactPointId!);

async function contactPointOf(db: Executor, territoryId: string, id: string) {
  const [row] = await db
    .select({ id: contactPoints.id, name: contactPoints.name })
    .from(contactPoints)
    .where(and(eq(contactPoints.territoryId, territoryId), eq(contactPoints.id, id)));
  if (!row) throw notFound('Ce lieu d’accueil');
  return row;
}

function view(ctx: AppContext, actor: UserActor, row: Visit, names: { contactPointName: string; agentName: string }): VisitView {
  const correctableUntil = new Date(row.createdAt.getTime() + ctx.config.visitCorrectionMs);
  return {
    id: row.id,
    territoryId: row.territoryId,
    contactPointId: row.contactPointId,
    contactPointName: names.contactPointName,
    agentUserId: row.agentUserId,
    agentName: names.agentName,
    occurredAt: row.occurredAt.toISOString(),
    channel: row.channel,
    organisationIds: row.organisationIds,
    themeCodes: row.themeCodes,
    actions: row.actions as VisitView['actions'],
    autonomy: row.autonomy,
    durationMinutes: row.durationMinutes,
    comment: row.comment,
    personId: row.personId,
    busStopId: row.busStopId,
    mandateId: row.mandateId,
    idempotencyKey: row.idempotencyKey,
    createdAt: row.createdAt.toISOString(),
    correctedAt: row.correctedAt?.toISOString() ?? null,
    correctableUntil: correctableUntil.toISOString(),
    canCorrect: row.agentUserId === actor.userId && ctx.clock.now() < correctableUntil,
  };
}

const selection = { visit: visits, contactPointName: contactPoints.name, agentName: users.displayName };
const withNames = (db: Executor) =>
  db
    .select(selection)
    .from(visits)
    .innerJoin(contactPoints, eq(contactPoints.id, visits.contactPointId))
    .innerJoin(users, eq(users.id, visits.agentUserId));

async function loadView(ctx: AppContext, actor: UserActor, id: string) {
  const [row] = await withNames(ctx.db).where(eq(visits.id, id));
  return view(ctx, actor, row!.visit, row!);
}

/** The fields of a visit as the journal keeps them. */
const journalOf = (v: Partial<Visit>) => ({
  contactPointId: v.contactPointId,
  occurredAt: v.occurredAt?.toISOString(),
  channel: v.channel,
  organisationIds: v.organisationIds,
  themeCodes: v.themeCodes,
  actions: v.actions,
  autonomy: v.autonomy,
  durationMinutes: v.durationMinutes,
  comment: v.comment,
  personId: v.personId,
  busStopId: v.busStopId,
  mandateId: v.mandateId,
});

interface Checked {
  occurredAt?: Date;
  organisationIds?: string[];
  themeCodes?: string[];
  personId?: string | null;
  busStopId?: string | null;
}

/** Checks what a visit names against the territory and the contact point (400 with the field's path). */
async function checkReferences(
  ctx: AppContext,
  territoryId: string,
  contactPointId: string,
  input: { occurredAt?: string; organisationIds?: string[]; themeCodes?: string[]; personId?: string | null; busStopId?: string | null },
  keep: { themeCodes?: string[] } = {},
): Promise<Checked> {
  const out: Checked = {};
  if (input.occurredAt !== undefined) {
    const at = new Date(input.occurredAt);
    if (at.getTime() > ctx.clock.now().getTime() + FUTURE_TOLERANCE_MS)
      throw invalid('VISIT_IN_FUTURE', 'Un accueil ne peut pas être daté dans le futur.', [
        { path: 'occurredAt', message: 'date dans le futur' },
      ]);
    out.occurredAt = at;
  }
  if (input.organisationIds?.length) {
    const found = await ctx.db
      .select({ id: partnerOrganisations.id })
      .from(partnerOrganisations)
      .where(and(eq(partnerOrganisations.territoryId, territoryId), inArray(partnerOrganisations.id, input.organisationIds)));
    const known = new Set(found.map((r) => r.id));
    const unknown = input.organisationIds.map((id, i) => ({ id, i })).filter(({ id }) => !known.has(id));
    if (unknown.length)
      throw invalid(
        'ORGANISATION_UNKNOWN',
        'Certains partenaires ne sont pas des partenaires du territoire.',
        unknown.map(({ i }) => ({ path: `organisationIds.${i}`, message: 'partenaire inconnu dans ce territoire' })),
      );
  }
  if (input.organisationIds) out.organisationIds = input.organisationIds;
  if (input.themeCodes?.length) {
    const active = await activeThemeCodes(ctx.db, territoryId);
    const kept = new Set(keep.themeCodes ?? []);
    const unknown = input.themeCodes.map((code, i) => ({ code, i })).filter(({ code }) => !active.has(code) && !kept.has(code));
    if (unknown.length)
      throw invalid(
        'THEME_UNKNOWN',
        'Certains thèmes n’existent pas (ou plus) dans la taxonomie du territoire.',
        unknown.map(({ i, code }) => ({ path: `themeCodes.${i}`, message: `thème inconnu : ${code}` })),
      );
  }
  if (input.themeCodes) out.themeCodes = input.themeCodes;
  if (input.personId) {
    const [held] = await ctx.db
      .select({ personId: personContactPoints.personId })
      .from(personContactPoints)
      .where(
        and(
          eq(personContactPoints.territoryId, territoryId),
          eq(personContactPoints.contactPointId, contactPointId),
          eq(personContactPoints.personId, input.personId),
        ),
      );
    if (!held)
      throw invalid('PERSON_NOT_HELD', 'Ce lieu d’accueil ne détient pas de dossier pour cette personne.', [
        { path: 'personId', message: 'dossier inconnu à ce lieu d’accueil' },
      ]);
  }
  if (input.personId !== undefined) out.personId = input.personId;
  if (input.busStopId) {
    const [stop] = await ctx.db
      .select({ id: busStops.id })
      .from(busStops)
      .where(and(eq(busStops.territoryId, territoryId), eq(busStops.contactPointId, contactPointId), eq(busStops.id, input.busStopId)));
    if (!stop)
      throw invalid('BUS_STOP_UNKNOWN', 'Cet arrêt n’est pas un arrêt de ce lieu d’accueil.', [
        { path: 'busStopId', message: 'arrêt inconnu pour ce lieu d’accueil' },
      ]);
  }
  if (input.busStopId !== undefined) out.busStopId = input.busStopId;
  return out;
}

/**
 * The mandate of a visit done « sous mandat » (422 MANDATE_NOT_APPLICABLE when it does not apply).
 * A correction that drops the action or the person drops a mandate it did not name again.
 */
async function checkVisitMandate(
  ctx: AppContext,
  v: { territoryId: string; contactPointId: string; actions: string[]; personId: string | null; at: Date; organisationIds: string[] },
  mandateId: string | null,
  named: boolean,
): Promise<string | null> {
  if (!mandateId) return null;
  if (!v.actions.includes('sous_mandat') || !v.personId) {
    if (!named) return null;
    throw new AppError(
      'MANDATE_NOT_APPLICABLE',
      422,
      'Un mandat se rattache à un accueil noté « Fait sous mandat » avec la fiche de la personne.',
      [{ path: 'mandateId', message: 'action « Fait sous mandat » et personne requises' }],
    );
  }
  await checkMandateForVisit(ctx.db, { ...v, mandateId });
  return mandateId;
}

async function findByKey(db: Executor, agentUserId: string, idempotencyKey: string) {
  const [row] = await db
    .select()
    .from(visits)
    .where(and(eq(visits.agentUserId, agentUserId), eq(visits.idempotencyKey, idempotencyKey)));
  return row;
}

/** The visit already stored under this key, answered again (200) — unless the key was used elsewhere. */
async function replay(ctx: AppContext, actor: UserActor, territoryId: string, existing: Visit) {
  if (existing.territoryId !== territoryId)
    throw conflict('IDEMPOTENCY_KEY_REUSED', 'Cette clé d’envoi a déjà servi pour un autre accueil : générez-en une nouvelle.');
  return { created: false, visit: await loadView(ctx, actor, existing.id) };
}

/**
 * Logs a visit. Defaults: the agent is the caller, occurredAt is now. Sent again with the same
 * idempotency key (a retry, the offline queue), it answers the visit already stored.
 */
export async function createVisit(
  ctx: AppContext,
  anyActor: Actor,
  territoryId: string,
  input: CreateInput,
  audit: AuditContext,
): Promise<{ created: boolean; visit: VisitView }> {
  const actor = requireUser(anyActor);
  if (!can(actor, 'visits.create', { territoryId, contactPointId: input.contactPointId })) {
    if (can(actor, 'visits.read', { territoryId })) throw notAgentHere();
    throw forbidden();
  }
  const existing = await findByKey(ctx.db, actor.userId, input.idempotencyKey);
  if (existing) return replay(ctx, actor, territoryId, existing);
  await territoryOf(ctx.db, territoryId);
  await contactPointOf(ctx.db, territoryId, input.contactPointId);
  const checked = await checkReferences(ctx, territoryId, input.contactPointId, input);
  const now = ctx.clock.now();
  const mandateId = await checkVisitMandate(
    ctx,
    {
      territoryId,
      contactPointId: input.contactPointId,
      actions: input.actions,
      personId: input.personId ?? null,
      at: checked.occurredAt ?? now,
      organisationIds: input.organisationIds,
    },
    input.mandateId ?? null,
    true,
  );
  let insertedId: string | undefined;
  try {
    insertedId = await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(visits)
        .values({
          territoryId,
          contactPointId: input.contactPointId,
          agentUserId: actor.userId,
          occurredAt: checked.occurredAt ?? now,
          channel: input.channel,
          organisationIds: input.organisationIds,
          themeCodes: input.themeCodes,
          actions: input.actions,
          autonomy: input.autonomy ?? null,
          durationMinutes: input.durationMinutes ?? null,
          comment: input.comment ?? null,
          personId: input.personId ?? null,
          busStopId: input.busStopId ?? null,
          mandateId,
          idempotencyKey: input.idempotencyKey,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing({ target: [visits.agentUserId, visits.idempotencyKey] })
        .returning();
      // Another request with the same key committed first: nothing to journal, answer its visit.
      if (!row) return undefined;
      if (row.personId) await touchPerson(tx, row.personId, now);
      await recordAudit(tx, audit, {
        type: 'visit.created',
        territoryId,
        targetType: 'visit',
        targetId: row.id,
        data: { after: journalOf(row) },
      });
      return row.id;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  if (insertedId) return { created: true, visit: await loadView(ctx, actor, insertedId) };
  const winner = await findByKey(ctx.db, actor.userId, input.idempotencyKey);
  if (!winner) throw new AppError('VISIT_NOT_STORED', 503, 'L’accueil n’a pas pu être enregistré : réessayez.');
  return replay(ctx, actor, territoryId, winner);
}

const encodeCursor = (v: Visit) => Buffer.from(`${v.occurredAt.toISOString()}|${v.id}`).toString('base64url');
function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!at || !id || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/.test(id))
    throw invalid('INVALID_CURSOR', 'Curseur de pagination invalide : reprenez la liste depuis le début.');
  return { at: date, id };
}

/** Visits of the territory, newest first: an agent's own contact points, or all for a coordinator. */
export async function listVisits(ctx: AppContext, anyActor: Actor, territoryId: string, query: VisitListQuery): Promise<VisitListView> {
  const actor = requireUser(anyActor);
  authorize(actor, 'visits.read', { territoryId });
  const conditions: (SQL | undefined)[] = [eq(visits.territoryId, territoryId)];
  if (!can(actor, 'visits.read_all', { territoryId })) {
    const mine = agentContactPoints(actor, territoryId);
    if (query.contactPointId && !mine.includes(query.contactPointId)) throw notAgentHere();
    conditions.push(inArray(visits.contactPointId, mine));
  }
  if (query.contactPointId) conditions.push(eq(visits.contactPointId, query.contactPointId));
  if (query.mine === 'true') conditions.push(eq(visits.agentUserId, actor.userId));
  if (query.from) conditions.push(gte(visits.occurredAt, new Date(query.from)));
  if (query.to) conditions.push(lt(visits.occurredAt, new Date(query.to)));
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    conditions.push(or(lt(visits.occurredAt, c.at), and(eq(visits.occurredAt, c.at), lt(visits.id, c.id))));
  }
  const rows = await withNames(ctx.db)
    .where(and(...conditions))
    .orderBy(desc(visits.occurredAt), desc(visits.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => view(ctx, actor, r.visit, r)),
    nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)!.visit) : null,
  };
}

/** A visit the actor may see (its contact point's agents, the territory's coordinators), else 404. */
async function visibleVisit(ctx: AppContext, actor: UserActor, territoryId: string, id: string) {
  authorize(actor, 'visits.read', { territoryId });
  const [row] = await ctx.db
    .select()
    .from(visits)
    .where(and(eq(visits.territoryId, territoryId), eq(visits.id, id)));
  if (!row) throw notFound('Cet accueil');
  if (!can(actor, 'visits.read_all', { territoryId }) && !agentContactPoints(actor, territoryId).includes(row.contactPointId))
    throw notFound('Cet accueil');
  return row;
}

export async function getVisit(ctx: AppContext, anyActor: Actor, territoryId: string, id: string) {
  const actor = requireUser(anyActor);
  const row = await visibleVisit(ctx, actor, territoryId, id);
  return loadView(ctx, actor, row.id);
}

/** Its own agent corrects a visit within VISIT_CORRECTION_HOURS of logging it. */
export async function correctVisit(
  ctx: AppContext,
  anyActor: Actor,
  territoryId: string,
  id: string,
  input: CorrectVisitBody,
  audit: AuditContext,
) {
  const actor = requireUser(anyActor);
  const current = await visibleVisit(ctx, actor, territoryId, id);
  if (current.agentUserId !== actor.userId) throw forbidden('Seul l’agent qui a noté cet accueil peut le corriger.');
  const now = ctx.clock.now();
  if (now.getTime() >= current.createdAt.getTime() + ctx.config.visitCorrectionMs)
    throw conflict(
      'VISIT_CORRECTION_CLOSED',
      `Le délai de correction est passé : un accueil se corrige dans les ${Math.round(ctx.config.visitCorrectionMs / 3600_000)} heures qui suivent sa saisie.`,
    );
  const checked = await checkReferences(ctx, territoryId, current.contactPointId, input, { themeCodes: current.themeCodes });
  const changes: Partial<Visit> = { ...checked };
  if (input.channel !== undefined) changes.channel = input.channel;
  if (input.actions !== undefined) changes.actions = input.actions;
  if (input.autonomy !== undefined) changes.autonomy = input.autonomy;
  if (input.durationMinutes !== undefined) changes.durationMinutes = input.durationMinutes;
  if (input.comment !== undefined) changes.comment = input.comment;
  const mandateId = await checkVisitMandate(
    ctx,
    {
      territoryId,
      contactPointId: current.contactPointId,
      actions: changes.actions ?? current.actions,
      personId: changes.personId === undefined ? current.personId : changes.personId,
      at: changes.occurredAt ?? current.occurredAt,
      organisationIds: changes.organisationIds ?? current.organisationIds,
    },
    input.mandateId === undefined ? current.mandateId : input.mandateId,
    input.mandateId !== undefined,
  );
  if (mandateId !== current.mandateId) changes.mandateId = mandateId;
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(visits).where(eq(visits.id, id)).for('update');
    const [after] = await tx
      .update(visits)
      .set({ ...changes, correctedAt: now, updatedAt: now })
      .where(eq(visits.id, id))
      .returning();
    if (after?.personId && after.personId !== before?.personId) await touchPerson(tx, after.personId, now);
    const keys = Object.keys(changes) as (keyof ReturnType<typeof journalOf>)[];
    const pick = (v: Visit) => Object.fromEntries(keys.map((k) => [k, journalOf(v)[k]]));
    await recordAudit(tx, audit, {
      type: 'visit.corrected',
      territoryId,
      targetType: 'visit',
      targetId: id,
      data: { before: pick(before!), after: pick(after!) },
    });
  });
  return loadView(ctx, actor, id);
}

/**
 * The quick choices of the visit form at one contact point: its most frequent partners and themes
 * over the last 90 days, completed by the partners it serves and the national themes.
 */
export async function visitShortcuts(
  ctx: AppContext,
  anyActor: Actor,
  territoryId: string,
  contactPointId: string,
): Promise<VisitShortcutsView> {
  const actor = requireUser(anyActor);
  if (!can(actor, 'visits.create', { territoryId, contactPointId })) {
    if (can(actor, 'visits.read', { territoryId })) throw notAgentHere();
    throw forbidden();
  }
  await contactPointOf(ctx.db, territoryId, contactPointId);
  const since = new Date(ctx.clock.now().getTime() - SHORTCUT_DAYS * 86_400_000);
  const [partnerCounts, themeCounts, served, active] = await Promise.all([
    ctx.db.execute<{ id: string; n: number }>(sql`
      SELECT o.id::text AS id, count(*)::int AS n
      FROM ${visits} v CROSS JOIN LATERAL unnest(v.organisation_ids) AS o(id)
      WHERE v.territory_id = ${territoryId} AND v.contact_point_id = ${contactPointId} AND v.occurred_at >= ${since.toISOString()}
      GROUP BY o.id ORDER BY n DESC, o.id LIMIT 50`),
    ctx.db.execute<{ code: string; n: number }>(sql`
      SELECT t.code AS code, count(*)::int AS n
      FROM ${visits} v CROSS JOIN LATERAL unnest(v.theme_codes) AS t(code)
      WHERE v.territory_id = ${territoryId} AND v.contact_point_id = ${contactPointId} AND v.occurred_at >= ${since.toISOString()}
      GROUP BY t.code ORDER BY n DESC, t.code LIMIT 50`),
    ctx.db
      .select({ id: partnerOrganisations.id })
      .from(contactPointPartners)
      .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, contactPointPartners.organisationId))
      .where(and(eq(contactPointPartners.territoryId, territoryId), eq(contactPointPartners.contactPointId, contactPointId)))
      .orderBy(asc(partnerOrganisations.acronym)),
    activeThemeCodes(ctx.db, territoryId),
  ]);
  const organisations = await ctx.db
    .select({ id: partnerOrganisations.id, acronym: partnerOrganisations.acronym, name: partnerOrganisations.name })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.territoryId, territoryId));
  const orgById = new Map(organisations.map((o) => [o.id, o]));

  const partners: VisitShortcutsView['partners'] = [];
  for (const { id, n } of partnerCounts.rows) {
    const o = orgById.get(id);
    if (o && partners.length < SHORTCUT_COUNT) partners.push({ organisationId: o.id, acronym: o.acronym, name: o.name, count: Number(n) });
  }
  const partnersFromHistory = partners.length > 0;
  for (const { id } of served) {
    const o = orgById.get(id)!;
    if (partners.length < SHORTCUT_COUNT && !partners.some((p) => p.organisationId === id))
      partners.push({ organisationId: o.id, acronym: o.acronym, name: o.name, count: 0 });
  }

  const themes: VisitShortcutsView['themes'] = [];
  for (const { code, n } of themeCounts.rows) {
    const label = active.get(code);
    if (label && themes.length < SHORTCUT_COUNT) themes.push({ code, label, count: Number(n) });
  }
  const themesFromHistory = themes.length > 0;
  for (const t of Themes) {
    if (themes.length < SHORTCUT_COUNT && !themes.some((x) => x.code === t.code)) themes.push({ code: t.code, label: t.label, count: 0 });
  }
  return { partners, themes, fromHistory: { partners: partnersFromHistory, themes: themesFromHistory } };
}
