import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { catalogueEntry } from '../../../contracts/partner-catalogue.ts';
import type {
  AddFromCatalogueBody,
  CreateReferentBody,
  DirectoryQuery,
  UpdateOrganisationBody,
  UpdateReferentBody,
} from '../../../contracts/partners.ts';
import { Themes } from '../../../contracts/themes.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { type AuditContext, recordAudit, valuesBefore } from '../../platform/audit.ts';
import { type Actor, authorize, can } from '../../platform/authorize.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { memberships, users } from '../accounts/accounts.schema.ts';
import { partnerOrganisations, partnerReferents } from './network.schema.ts';
import { territoryOf } from './territory.ts';

type Organisation = typeof partnerOrganisations.$inferSelect;
type Referent = typeof partnerReferents.$inferSelect;
interface Account {
  userId: string;
  displayName: string;
  email: string;
}

const acronymTaken = () => conflict('ORGANISATION_ACRONYM_TAKEN', 'Un partenaire porte déjà ce sigle dans le territoire.');

async function findOrganisation(db: Executor, territoryId: string, id: string): Promise<Organisation> {
  const [row] = await db
    .select()
    .from(partnerOrganisations)
    .where(and(eq(partnerOrganisations.territoryId, territoryId), eq(partnerOrganisations.id, id)));
  if (!row) throw notFound('Ce partenaire');
  return row;
}

/** The Relais accounts with a referent or manager role in an organisation. */
async function accountsOf(db: Executor, territoryId: string, organisationId: string): Promise<Account[]> {
  return db
    .selectDistinct({ userId: users.id, displayName: users.displayName, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.territoryId, territoryId),
        eq(memberships.organisationId, organisationId),
        inArray(memberships.role, ['referent', 'manager']),
      ),
    )
    .orderBy(users.displayName, users.id);
}

async function accountsById(db: Executor, userIds: (string | null)[]): Promise<Map<string, Account>> {
  const ids = [...new Set(userIds.filter((x): x is string => !!x))];
  if (!ids.length) return new Map();
  const rows = await db
    .select({ userId: users.id, displayName: users.displayName, email: users.email })
    .from(users)
    .where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.userId, r]));
}

const referentView = (r: Referent, accounts: Map<string, Account>) => ({
  id: r.id,
  organisationId: r.organisationId,
  fullName: r.fullName,
  title: r.title,
  email: r.email,
  phone: r.phone,
  availability: r.availability,
  themes: r.themes,
  active: r.active,
  account: r.userId ? (accounts.get(r.userId) ?? null) : null,
  updatedAt: r.updatedAt.toISOString(),
});

const organisationView = (o: Organisation) => ({
  id: o.id,
  territoryId: o.territoryId,
  name: o.name,
  acronym: o.acronym,
  nationalCode: o.nationalCode,
  description: o.description,
  website: o.website,
  phone: o.phone,
  email: o.email,
  themes: o.themes,
  procedures: o.procedures,
  links: o.links,
  updatedAt: o.updatedAt.toISOString(),
});

/** An organisation with its referents, for every member of the territory. */
export async function getOrganisation(ctx: AppContext, actor: Actor, territoryId: string, id: string) {
  authorize(actor, 'territory.read', { territoryId });
  const organisation = await findOrganisation(ctx.db, territoryId, id);
  const referents = await ctx.db
    .select()
    .from(partnerReferents)
    .where(and(eq(partnerReferents.territoryId, territoryId), eq(partnerReferents.organisationId, id)))
    .orderBy(asc(partnerReferents.fullName), asc(partnerReferents.id));
  const accounts = await accountsById(
    ctx.db,
    referents.map((r) => r.userId),
  );
  const canEdit = can(actor, 'partners.write', { territoryId, organisationId: id });
  return {
    ...organisationView(organisation),
    referents: referents.map((r) => referentView(r, accounts)),
    canEdit,
    accounts: canEdit ? await accountsOf(ctx.db, territoryId, id) : [],
  };
}

export async function updateOrganisation(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  id: string,
  input: UpdateOrganisationBody,
  audit: AuditContext,
) {
  authorize(actor, 'partners.write', { territoryId, organisationId: id });
  const before = await findOrganisation(ctx.db, territoryId, id);
  await ctx.db.transaction(async (tx) => {
    try {
      await tx
        .update(partnerOrganisations)
        .set({ ...input, updatedAt: ctx.clock.now() })
        .where(and(eq(partnerOrganisations.territoryId, territoryId), eq(partnerOrganisations.id, id)));
    } catch (error) {
      if (isUniqueViolation(error)) throw acronymTaken();
      throw error;
    }
    await recordAudit(tx, audit, {
      type: 'organisation.updated',
      territoryId,
      targetType: 'organisation',
      targetId: id,
      data: { before: valuesBefore(before, input), after: input },
    });
  });
  return getOrganisation(ctx, actor, territoryId, id);
}

/** Adds a national or common partner from the catalogue, prefilled; one per catalogue code and territory. */
export async function addFromCatalogue(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  input: AddFromCatalogueBody,
  audit: AuditContext,
) {
  authorize(actor, 'network.write', { territoryId });
  await territoryOf(ctx.db, territoryId);
  const entry = catalogueEntry(input.catalogueCode);
  if (!entry) throw invalid('CATALOGUE_CODE_UNKNOWN', 'Ce partenaire est inconnu du catalogue national.');
  const [existing] = await ctx.db
    .select({ id: partnerOrganisations.id, name: partnerOrganisations.name })
    .from(partnerOrganisations)
    .where(and(eq(partnerOrganisations.territoryId, territoryId), eq(partnerOrganisations.nationalCode, entry.code)));
  if (existing) throw conflict('ORGANISATION_ALREADY_PRESENT', `Ce partenaire est déjà présent dans le territoire (${existing.name}).`);
  const values = {
    territoryId,
    name: entry.name,
    acronym: entry.acronym,
    nationalCode: entry.code,
    description: entry.description,
    themes: entry.themes,
    procedures: entry.procedures,
    links: entry.links,
  };
  const row = await ctx.db.transaction(async (tx) => {
    try {
      const [created] = await tx.insert(partnerOrganisations).values(values).returning();
      await recordAudit(tx, audit, {
        type: 'organisation.created',
        territoryId,
        targetType: 'organisation',
        targetId: created!.id,
        data: { catalogueCode: entry.code, after: { ...values, territoryId: undefined } },
      });
      return created!;
    } catch (error) {
      if (isUniqueViolation(error))
        throw conflict('ORGANISATION_ALREADY_PRESENT', `Un partenaire porte déjà le sigle « ${entry.acronym} » dans le territoire.`);
      throw error;
    }
  });
  return getOrganisation(ctx, actor, territoryId, row.id);
}

// Referents ------------------------------------------------------------------

async function findReferent(db: Executor, territoryId: string, id: string): Promise<Referent> {
  const [row] = await db
    .select()
    .from(partnerReferents)
    .where(and(eq(partnerReferents.territoryId, territoryId), eq(partnerReferents.id, id)));
  if (!row) throw notFound('Ce référent');
  return row;
}

async function checkAccount(db: Executor, territoryId: string, organisationId: string, userId: string | null | undefined) {
  if (!userId) return;
  const accounts = await accountsOf(db, territoryId, organisationId);
  if (!accounts.some((a) => a.userId === userId))
    throw invalid(
      'REFERENT_ACCOUNT_NOT_MEMBER',
      'Ce compte Relais n’a pas de rôle de référent ou de responsable dans ce partenaire : invitez la personne d’abord.',
      [{ path: 'body.userId', message: 'compte sans rôle dans ce partenaire' }],
    );
}

async function referentResult(db: Executor, row: Referent) {
  return referentView(row, await accountsById(db, [row.userId]));
}

export async function getReferent(ctx: AppContext, actor: Actor, territoryId: string, id: string) {
  authorize(actor, 'territory.read', { territoryId });
  return referentResult(ctx.db, await findReferent(ctx.db, territoryId, id));
}

export async function createReferent(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  organisationId: string,
  input: CreateReferentBody,
  audit: AuditContext,
) {
  authorize(actor, 'partners.write', { territoryId, organisationId });
  await findOrganisation(ctx.db, territoryId, organisationId);
  await checkAccount(ctx.db, territoryId, organisationId, input.userId);
  const row = await ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(partnerReferents)
      .values({ ...input, territoryId, organisationId })
      .returning();
    await recordAudit(tx, audit, {
      type: 'referent.created',
      territoryId,
      targetType: 'referent',
      targetId: created!.id,
      data: { organisationId, after: input },
    });
    return created!;
  });
  return referentResult(ctx.db, row);
}

export async function updateReferent(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  id: string,
  input: UpdateReferentBody,
  audit: AuditContext,
) {
  authorize(actor, 'territory.read', { territoryId });
  const before = await findReferent(ctx.db, territoryId, id);
  authorize(actor, 'partners.write', { territoryId, organisationId: before.organisationId });
  await checkAccount(ctx.db, territoryId, before.organisationId, input.userId);
  const row = await ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(partnerReferents)
      .set({ ...input, updatedAt: ctx.clock.now() })
      .where(and(eq(partnerReferents.territoryId, territoryId), eq(partnerReferents.id, id)))
      .returning();
    await recordAudit(tx, audit, {
      type: 'referent.updated',
      territoryId,
      targetType: 'referent',
      targetId: id,
      data: { organisationId: before.organisationId, before: valuesBefore(before, input), after: input },
    });
    return updated!;
  });
  return referentResult(ctx.db, row);
}

export async function deleteReferent(ctx: AppContext, actor: Actor, territoryId: string, id: string, audit: AuditContext) {
  authorize(actor, 'territory.read', { territoryId });
  const before = await findReferent(ctx.db, territoryId, id);
  authorize(actor, 'partners.write', { territoryId, organisationId: before.organisationId });
  await ctx.db.transaction(async (tx) => {
    await tx.delete(partnerReferents).where(and(eq(partnerReferents.territoryId, territoryId), eq(partnerReferents.id, id)));
    const { createdAt: _c, updatedAt: _u, territoryId: _t, ...kept } = before;
    await recordAudit(tx, audit, {
      type: 'referent.deleted',
      territoryId,
      targetType: 'referent',
      targetId: id,
      data: { organisationId: before.organisationId, before: kept },
    });
  });
}

// Directory ------------------------------------------------------------------

/** Lower case, without accents, typographic apostrophes as plain ones: how search text is compared. */
export function normalizeSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/[’ʼ‘`]/g, "'")
    .replace(/œ/gi, 'oe')
    .replace(/æ/gi, 'ae')
    .toLowerCase();
}
/** The same normalisation in SQL (unaccent is installed by migration 0000). */
const normalized = (expr: SQL) => sql`replace(replace(replace(unaccent(lower(${expr})), '’', ''''), 'œ', 'oe'), 'æ', 'ae')`;
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The referents agents can call, searched across the referent's name and function, the
 * organisation's name and acronym, its procedures and the themes. Every word of the query must
 * match somewhere; accents and case do not matter. Inactive referents are left out.
 */
export async function searchDirectory(ctx: AppContext, actor: Actor, territoryId: string, query: DirectoryQuery) {
  authorize(actor, 'territory.read', { territoryId });
  const r = partnerReferents;
  const o = partnerOrganisations;
  const effectiveThemes = sql`(CASE WHEN cardinality(${r.themes}) > 0 THEN ${r.themes} ELSE ${o.themes} END)`;
  const haystack = normalized(
    sql`concat_ws(' | ', ${r.fullName}, ${r.title}, ${o.name}, ${o.acronym}, ${o.nationalCode}, array_to_string(${o.procedures}, ' | '))`,
  );
  const conditions: SQL[] = [eq(r.territoryId, territoryId), eq(r.active, true)];
  if (query.organisationId) conditions.push(eq(r.organisationId, query.organisationId));
  if (query.theme) conditions.push(sql`${query.theme} = ANY(${effectiveThemes})`);
  const words = normalizeSearch(query.q ?? '')
    .split(/[\s,;]+/)
    .filter((w) => w.length > 0)
    .slice(0, 8);
  for (const word of words) {
    // A word may also name a theme ("logement", "impots"): match the referents of that theme.
    const themes = Themes.filter((t) => normalizeSearch(t.label).includes(word) || t.code.includes(word)).map((t) => t.code);
    const text = sql`${haystack} LIKE ${`%${likeEscape(word)}%`} ESCAPE '\\'`;
    conditions.push(
      themes.length
        ? sql`(${text} OR ${effectiveThemes} && ${sql`ARRAY[${sql.join(
            themes.map((c) => sql`${c}`),
            sql`, `,
          )}]::text[]`})`
        : text,
    );
  }
  const rows = await ctx.db
    .select({ referent: r, organisation: o })
    .from(r)
    .innerJoin(o, and(eq(o.id, r.organisationId), eq(o.territoryId, r.territoryId)))
    .where(and(...conditions))
    .orderBy(asc(o.acronym), asc(r.fullName), asc(r.id))
    .limit(200);
  const accounts = await accountsById(
    ctx.db,
    rows.map((x) => x.referent.userId),
  );
  return rows.map(({ referent, organisation }) => ({
    ...referentView(referent, accounts),
    organisation: {
      id: organisation.id,
      name: organisation.name,
      acronym: organisation.acronym,
      nationalCode: organisation.nationalCode,
      phone: organisation.phone,
      email: organisation.email,
      website: organisation.website,
    },
  }));
}
