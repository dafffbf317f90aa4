import { and, asc, eq, inArray } from 'drizzle-orm';
import {
  type CreateReportingGroupBody,
  type CreateTerritoryThemeBody,
  DEFAULT_REPORTING_GROUPS,
  defaultGroupOf,
  procedureThemeCode,
  type ReportingGroupView,
  type TaxonomyThemeView,
  type TaxonomyView,
  type UpdateReportingGroupBody,
  type UpdateTerritoryThemeBody,
} from '../../../contracts/taxonomy.ts';
import { Themes } from '../../../contracts/themes.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, authorize } from '../../platform/authorize.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { partnerOrganisations } from '../network/network.schema.ts';
import { territoryOf } from '../network/territory.ts';
import { reportingGroups, reportingGroupThemes, territoryThemes } from './visits.schema.ts';

/**
 * The territory's taxonomy: national themes, one theme per procedure of each of its partners
 * (derived, never stored), its own themes, and the reporting groups that count them.
 */
export async function loadTaxonomy(db: Executor, territoryId: string): Promise<TaxonomyView> {
  const [partners, own, groups, assigned] = await Promise.all([
    db
      .select({
        id: partnerOrganisations.id,
        acronym: partnerOrganisations.acronym,
        themes: partnerOrganisations.themes,
        procedures: partnerOrganisations.procedures,
      })
      .from(partnerOrganisations)
      .where(eq(partnerOrganisations.territoryId, territoryId))
      .orderBy(asc(partnerOrganisations.acronym)),
    db
      .select()
      .from(territoryThemes)
      .where(eq(territoryThemes.territoryId, territoryId))
      .orderBy(asc(territoryThemes.label), asc(territoryThemes.code)),
    db
      .select()
      .from(reportingGroups)
      .where(eq(reportingGroups.territoryId, territoryId))
      .orderBy(asc(reportingGroups.sortOrder), asc(reportingGroups.code)),
    db.select().from(reportingGroupThemes).where(eq(reportingGroupThemes.territoryId, territoryId)),
  ]);

  const themes: Omit<TaxonomyThemeView, 'groupCode'>[] = Themes.map((t) => ({
    code: t.code,
    label: t.label,
    kind: 'national' as const,
    parentCode: null,
    organisationId: null,
    id: null,
    archived: false,
  }));
  const seen = new Set(themes.map((t) => t.code));
  for (const p of partners) {
    for (const procedure of p.procedures) {
      const code = procedureThemeCode(p.acronym, procedure);
      if (seen.has(code) || code.endsWith('.')) continue;
      seen.add(code);
      themes.push({
        code,
        label: `${p.acronym} — ${procedure}`,
        kind: 'partenaire',
        parentCode: p.themes[0] ?? null,
        organisationId: p.id,
        id: null,
        archived: false,
      });
    }
  }
  const ownActive = own.filter((t) => !t.archivedAt);
  const ownArchived = own.filter((t) => t.archivedAt);
  for (const t of [...ownActive, ...ownArchived]) {
    if (seen.has(t.code)) continue;
    seen.add(t.code);
    themes.push({
      code: t.code,
      label: t.label,
      kind: 'territoire',
      parentCode: t.parentCode,
      organisationId: t.organisationId,
      id: t.id,
      archived: !!t.archivedAt,
    });
  }

  const defaultGrouping = groups.length === 0;
  const groupViews: ReportingGroupView[] = defaultGrouping
    ? DEFAULT_REPORTING_GROUPS.map((g, i) => ({ id: null, code: g.code, label: g.label, sortOrder: i, themeCodes: [...g.themeCodes] }))
    : groups.map((g) => ({
        id: g.id,
        code: g.code,
        label: g.label,
        sortOrder: g.sortOrder,
        themeCodes: assigned.filter((a) => a.groupId === g.id).map((a) => a.themeCode),
      }));
  const explicit = new Map<string, string>();
  for (const g of groupViews) for (const code of g.themeCodes) explicit.set(code, g.code);
  const parentOf = new Map(themes.map((t) => [t.code, t.parentCode]));
  /** A theme's own group, else its parent's (following parents, cycles cut), else the default's "autres". */
  const groupOf = (code: string): string | null => {
    const visited = new Set<string>();
    let current: string | null | undefined = code;
    while (current && !visited.has(current)) {
      visited.add(current);
      const group = explicit.get(current);
      if (group) return group;
      current = parentOf.get(current);
    }
    return defaultGrouping ? defaultGroupOf(code) : null;
  };
  return { themes: themes.map((t) => ({ ...t, groupCode: groupOf(t.code) })), groups: groupViews, defaultGrouping };
}

/** The theme codes a new visit may carry: every theme of the taxonomy but archived territory themes. */
export async function activeThemeCodes(db: Executor, territoryId: string): Promise<Map<string, string>> {
  const taxonomy = await loadTaxonomy(db, territoryId);
  return new Map(taxonomy.themes.filter((t) => !t.archived).map((t) => [t.code, t.label]));
}

export async function getTaxonomy(ctx: AppContext, actor: Actor, territoryId: string) {
  authorize(actor, 'taxonomy.read', { territoryId });
  await territoryOf(ctx.db, territoryId);
  return loadTaxonomy(ctx.db, territoryId);
}

const codeTaken = () => conflict('THEME_CODE_TAKEN', 'Un thème du territoire porte déjà ce code.');

async function checkOrganisation(db: Executor, territoryId: string, organisationId: string | null | undefined) {
  if (!organisationId) return;
  const [row] = await db
    .select({ id: partnerOrganisations.id })
    .from(partnerOrganisations)
    .where(and(eq(partnerOrganisations.territoryId, territoryId), eq(partnerOrganisations.id, organisationId)));
  if (!row)
    throw invalid('ORGANISATION_UNKNOWN', 'Ce partenaire n’est pas un partenaire du territoire.', [
      { path: 'organisationId', message: 'partenaire inconnu dans ce territoire' },
    ]);
}

export async function createTerritoryTheme(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  input: CreateTerritoryThemeBody,
  audit: AuditContext,
) {
  authorize(actor, 'taxonomy.write', { territoryId });
  await territoryOf(ctx.db, territoryId);
  const taxonomy = await loadTaxonomy(ctx.db, territoryId);
  if (taxonomy.themes.some((t) => t.code === input.code)) throw codeTaken();
  if (input.parentCode && !taxonomy.themes.some((t) => t.code === input.parentCode && !t.archived))
    throw invalid('THEME_UNKNOWN', 'Le thème parent n’existe pas dans la taxonomie du territoire.', [
      { path: 'parentCode', message: 'thème inconnu' },
    ]);
  await checkOrganisation(ctx.db, territoryId, input.organisationId);
  try {
    const row = await ctx.db.transaction(async (tx) => {
      const [created] = await tx
        .insert(territoryThemes)
        .values({
          territoryId,
          code: input.code,
          label: input.label,
          parentCode: input.parentCode ?? null,
          organisationId: input.organisationId ?? null,
        })
        .returning();
      await recordAudit(tx, audit, {
        type: 'taxonomy.theme_created',
        territoryId,
        targetType: 'territory_theme',
        targetId: created!.id,
        data: {
          after: { code: created!.code, label: created!.label, parentCode: created!.parentCode, organisationId: created!.organisationId },
        },
      });
      return created!;
    });
    return themeView(ctx, territoryId, row.code);
  } catch (error) {
    if (isUniqueViolation(error)) throw codeTaken();
    throw error;
  }
}

async function themeView(ctx: AppContext, territoryId: string, code: string): Promise<TaxonomyThemeView> {
  const taxonomy = await loadTaxonomy(ctx.db, territoryId);
  return taxonomy.themes.find((t) => t.code === code)!;
}

export async function updateTerritoryTheme(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  id: string,
  input: UpdateTerritoryThemeBody,
  audit: AuditContext,
) {
  authorize(actor, 'taxonomy.write', { territoryId });
  const code = await ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(territoryThemes)
      .where(and(eq(territoryThemes.territoryId, territoryId), eq(territoryThemes.id, id)))
      .for('update');
    if (!before) throw notFound('Ce thème du territoire');
    const archivedAt = input.archived === undefined ? before.archivedAt : input.archived ? (before.archivedAt ?? ctx.clock.now()) : null;
    const [after] = await tx
      .update(territoryThemes)
      .set({ label: input.label ?? before.label, archivedAt })
      .where(eq(territoryThemes.id, id))
      .returning();
    await recordAudit(tx, audit, {
      type: 'taxonomy.theme_updated',
      territoryId,
      targetType: 'territory_theme',
      targetId: id,
      data: {
        before: { label: before.label, archived: !!before.archivedAt },
        after: { label: after!.label, archived: !!after!.archivedAt },
      },
    });
    return after!.code;
  });
  return themeView(ctx, territoryId, code);
}

const groupCodeTaken = () => conflict('REPORTING_GROUP_CODE_TAKEN', 'Un groupe de thèmes porte déjà ce code dans le territoire.');

async function checkThemeCodes(db: Executor, territoryId: string, codes: readonly string[]) {
  const known = new Set((await loadTaxonomy(db, territoryId)).themes.map((t) => t.code));
  const unknown = codes.map((code, i) => ({ code, i })).filter(({ code }) => !known.has(code));
  if (unknown.length)
    throw invalid(
      'THEME_UNKNOWN',
      'Certains thèmes n’existent pas dans la taxonomie du territoire.',
      unknown.map(({ i, code }) => ({ path: `themeCodes.${i}`, message: `thème inconnu : ${code}` })),
    );
}

/** Puts these themes in the group, taking them out of any other group of the territory. */
async function assignThemes(tx: Executor, territoryId: string, groupId: string, codes: readonly string[]) {
  if (codes.length === 0) return [];
  const moved = await tx
    .delete(reportingGroupThemes)
    .where(and(eq(reportingGroupThemes.territoryId, territoryId), inArray(reportingGroupThemes.themeCode, [...codes])))
    .returning();
  await tx.insert(reportingGroupThemes).values(codes.map((themeCode) => ({ territoryId, groupId, themeCode })));
  return moved.filter((m) => m.groupId !== groupId).map((m) => ({ themeCode: m.themeCode, fromGroupId: m.groupId }));
}

async function groupView(db: Executor, territoryId: string, id: string): Promise<ReportingGroupView> {
  const taxonomy = await loadTaxonomy(db, territoryId);
  return taxonomy.groups.find((g) => g.id === id)!;
}

export async function createReportingGroup(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  input: CreateReportingGroupBody,
  audit: AuditContext,
) {
  authorize(actor, 'taxonomy.write', { territoryId });
  await territoryOf(ctx.db, territoryId);
  const codes = input.themeCodes ?? [];
  await checkThemeCodes(ctx.db, territoryId, codes);
  try {
    const id = await ctx.db.transaction(async (tx) => {
      const [group] = await tx
        .insert(reportingGroups)
        .values({ territoryId, code: input.code, label: input.label, sortOrder: input.sortOrder ?? 0 })
        .returning();
      const moved = await assignThemes(tx, territoryId, group!.id, codes);
      await recordAudit(tx, audit, {
        type: 'taxonomy.group_created',
        territoryId,
        targetType: 'reporting_group',
        targetId: group!.id,
        data: { after: { code: group!.code, label: group!.label, sortOrder: group!.sortOrder, themeCodes: codes }, moved },
      });
      return group!.id;
    });
    return groupView(ctx.db, territoryId, id);
  } catch (error) {
    if (isUniqueViolation(error)) throw groupCodeTaken();
    throw error;
  }
}

export async function updateReportingGroup(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  id: string,
  input: UpdateReportingGroupBody,
  audit: AuditContext,
) {
  authorize(actor, 'taxonomy.write', { territoryId });
  const [existing] = await ctx.db
    .select({ id: reportingGroups.id })
    .from(reportingGroups)
    .where(and(eq(reportingGroups.territoryId, territoryId), eq(reportingGroups.id, id)));
  if (!existing) throw notFound('Ce groupe de thèmes');
  if (input.themeCodes) await checkThemeCodes(ctx.db, territoryId, input.themeCodes);
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(reportingGroups).where(eq(reportingGroups.id, id)).for('update');
    const beforeThemes = (await tx.select().from(reportingGroupThemes).where(eq(reportingGroupThemes.groupId, id))).map((r) => r.themeCode);
    const [after] = await tx
      .update(reportingGroups)
      .set({ label: input.label ?? before!.label, sortOrder: input.sortOrder ?? before!.sortOrder })
      .where(eq(reportingGroups.id, id))
      .returning();
    let moved: { themeCode: string; fromGroupId: string }[] = [];
    if (input.themeCodes) {
      await tx.delete(reportingGroupThemes).where(eq(reportingGroupThemes.groupId, id));
      moved = await assignThemes(tx, territoryId, id, input.themeCodes);
    }
    await recordAudit(tx, audit, {
      type: 'taxonomy.group_updated',
      territoryId,
      targetType: 'reporting_group',
      targetId: id,
      data: {
        before: { label: before!.label, sortOrder: before!.sortOrder, themeCodes: beforeThemes },
        after: { label: after!.label, sortOrder: after!.sortOrder, themeCodes: input.themeCodes ?? beforeThemes },
        moved,
      },
    });
  });
  return groupView(ctx.db, territoryId, id);
}
