import { diffWordsWithSpace } from 'diff';
import { and, asc, eq, sql } from 'drizzle-orm';
import {
  type EditableOwners,
  type FeedbackBody,
  type FieldDiff,
  SheetBody,
  type SheetDiff,
  type SheetSearchQuery,
  type SheetSearchResult,
  SheetSectionKeys,
  SheetSectionLabels,
  type SheetSections,
  type SuggestionsQuery,
  type UpdateSheetBody,
} from '../../../contracts/knowledge.ts';
import { slugify } from '../../../contracts/taxonomy.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Actor } from '../../platform/authorize.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { partnerOrganisations } from '../network/network.schema.ts';
import { activeThemeCodes } from '../visits/taxonomy.service.ts';
import { canRead, canWrite, checkWrite, type KnowledgeAccess, knowledgeAccess, managedOrganisationIds, visibleSheets } from './access.ts';
import { normalise } from './analyse.ts';
import { kbFeedback, kbSheets, kbSheetVersions } from './knowledge.schema.ts';
import { linksOf, plainText, SAFE_LINK } from './markdown.ts';
import { addToLexicon, analyseQuery, type HitRow, runSearch, searchVector } from './search.ts';
import { synonymIndexOf } from './synonyms.ts';
import { isStale, organisationRefs, personRef, type SheetRow, sheetView, type ThemeLabeller, themeLabeller, userNames } from './views.ts';

export const sheetNotFound = () => notFound('Cette fiche');

/** The text a sheet is searched and excerpted on. */
export function bodyTextOf(sections: SheetSections): string {
  return SheetSectionKeys.map((k) => plainText(sections[k] ?? ''))
    .filter(Boolean)
    .join('\n');
}

/** Content of a sheet as stored (title to sections), validated and normalised. */
export interface SheetContent {
  title: string;
  summary: string;
  organisationId: string | null;
  themes: string[];
  keywords: string[];
  sections: SheetSections;
}

export async function checkContent(db: Executor, territoryId: string, content: SheetContent): Promise<void> {
  const refused = SheetSectionKeys.flatMap((k) => linksOf(content.sections[k] ?? '').map((url) => ({ k, url }))).filter(
    ({ url }) => !SAFE_LINK.test(url),
  );
  if (refused.length)
    throw new AppError(
      'KNOWLEDGE_LINK_REFUSED',
      422,
      'Seuls les liens https://, http://, mailto: et tel: sont admis dans une fiche.',
      refused.map(({ k, url }) => ({ path: `sections.${k}`, message: `lien refusé : ${url.slice(0, 80)}` })),
    );
  if (content.organisationId) {
    const [org] = await db
      .select({ id: partnerOrganisations.id })
      .from(partnerOrganisations)
      .where(and(eq(partnerOrganisations.id, content.organisationId), eq(partnerOrganisations.territoryId, territoryId)));
    if (!org)
      throw new AppError('KNOWLEDGE_ORGANISATION_UNKNOWN', 422, 'Ce partenaire n’est pas un partenaire du territoire.', [
        { path: 'organisationId', message: 'partenaire inconnu dans ce territoire' },
      ]);
  }
  if (content.themes.length) {
    const known = await activeThemeCodes(db, territoryId);
    const unknown = content.themes.filter((t) => !known.has(t));
    if (unknown.length)
      throw new AppError(
        'KNOWLEDGE_THEME_UNKNOWN',
        422,
        `Thème inconnu dans ce territoire : ${unknown.join(', ')}.`,
        unknown.map((t) => ({ path: 'themeCodes', message: `thème inconnu : ${t}` })),
      );
  }
}

const dedupe = (values: string[]) => [...new Set(values.map((v) => v.trim()).filter(Boolean))];

export function contentOf(body: ReturnType<typeof SheetBody.parse>): SheetContent {
  return {
    title: body.title,
    summary: body.summary,
    organisationId: body.organisationId,
    themes: dedupe(body.themeCodes),
    keywords: dedupe(body.keywords),
    sections: body.sections,
  };
}

async function uniqueSlug(db: Executor, territoryId: string, wanted: string): Promise<string> {
  const base = slugify(wanted) || 'fiche';
  const { rows } = await db.execute<{ slug: string }>(
    sql`SELECT slug FROM kb_sheets WHERE territory_id = ${territoryId} AND (slug = ${base} OR slug LIKE ${`${base}-%`})`,
  );
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

export interface WriteMeta {
  userId: string | null;
  note?: string | null;
  proposalId?: string | null;
  /** Imported sheets keep the verification of their file. */
  verified?: { at: Date; byId: string | null; byName: string | null } | null;
}

/** Inserts a sheet and its version 1 (no rights checked: callers do). */
export async function insertSheet(
  tx: Executor,
  territoryId: string,
  content: SheetContent,
  status: 'brouillon' | 'publiee',
  meta: WriteMeta & { slug?: string },
  now: Date,
): Promise<SheetRow> {
  const slug = meta.slug ?? (await uniqueSlug(tx, territoryId, content.title));
  const bodyText = bodyTextOf(content.sections);
  const verified = meta.verified ?? (status === 'publiee' ? { at: now, byId: meta.userId, byName: null } : null);
  const [row] = await tx
    .insert(kbSheets)
    .values({
      territoryId,
      slug,
      ...content,
      status,
      version: 1,
      bodyText,
      search: searchVector({ ...content, bodyText }),
      verifiedAt: verified?.at ?? null,
      verifiedById: verified?.byId ?? null,
      verifiedByName: verified?.byName ?? null,
      createdAt: now,
      createdById: meta.userId,
      updatedAt: now,
      updatedById: meta.userId,
    })
    .returning();
  await tx.insert(kbSheetVersions).values({
    sheetId: row!.id,
    version: 1,
    territoryId,
    ...content,
    status,
    note: meta.note ?? null,
    authorId: meta.userId,
    proposalId: meta.proposalId ?? null,
    createdAt: now,
  });
  await addToLexicon(tx, territoryId, `${content.title} ${content.summary} ${content.keywords.join(' ')} ${bodyText}`);
  return row!;
}

/** Only the content fields (callers may pass a whole row). */
const pickContent = (c: SheetContent): SheetContent => ({
  title: c.title,
  summary: c.summary,
  organisationId: c.organisationId,
  themes: c.themes,
  keywords: c.keywords,
  sections: c.sections,
});

/** Whether saving this content with this status would change nothing. */
export const sameContent = (row: SheetRow, content: SheetContent, status: string) =>
  row.status === status &&
  JSON.stringify([row.title, row.summary, row.organisationId, row.themes, row.keywords, normaliseSections(row.sections)]) ===
    JSON.stringify([
      content.title,
      content.summary,
      content.organisationId,
      content.themes,
      content.keywords,
      normaliseSections(content.sections),
    ]);

const normaliseSections = (s: SheetSections) => SheetSectionKeys.map((k) => s[k] ?? '');

/** Writes a new version of a locked sheet row; returns the row unchanged when nothing changed. */
export async function writeVersion(
  tx: Executor,
  row: SheetRow,
  given: SheetContent,
  status: 'brouillon' | 'publiee' | 'archivee',
  meta: WriteMeta,
  now: Date,
): Promise<SheetRow> {
  const content = pickContent(given);
  if (sameContent(row, content, status)) return row;
  const version = row.version + 1;
  const bodyText = bodyTextOf(content.sections);
  // Publishing is the owner's validation: the sheet counts as verified from then on.
  const verified =
    meta.verified ?? (status === 'publiee' && row.status !== 'publiee' ? { at: now, byId: meta.userId, byName: null } : null);
  const [updated] = await tx
    .update(kbSheets)
    .set({
      ...content,
      status,
      version,
      bodyText,
      search: searchVector({ ...content, bodyText }),
      ...(verified ? { verifiedAt: verified.at, verifiedById: verified.byId, verifiedByName: verified.byName } : {}),
      updatedAt: now,
      updatedById: meta.userId,
    })
    .where(eq(kbSheets.id, row.id))
    .returning();
  await tx.insert(kbSheetVersions).values({
    sheetId: row.id,
    version,
    territoryId: row.territoryId,
    ...content,
    status,
    note: meta.note ?? null,
    authorId: meta.userId,
    proposalId: meta.proposalId ?? null,
    createdAt: now,
  });
  await addToLexicon(tx, row.territoryId, `${content.title} ${content.summary} ${content.keywords.join(' ')} ${bodyText}`);
  return updated!;
}

export async function lockSheet(tx: Executor, territoryId: string, sheetId: string): Promise<SheetRow> {
  const [row] = await tx
    .select()
    .from(kbSheets)
    .where(and(eq(kbSheets.id, sheetId), eq(kbSheets.territoryId, territoryId)))
    .for('update');
  if (!row) throw sheetNotFound();
  return row;
}

/** A sheet the caller may read, or 404 (a draft's existence does not leak). */
export async function readableSheet(db: Executor, access: KnowledgeAccess, sheetId: string): Promise<SheetRow> {
  const [row] = await db
    .select()
    .from(kbSheets)
    .where(and(eq(kbSheets.id, sheetId), eq(kbSheets.territoryId, access.territoryId)));
  if (!row || !canRead(access, row)) throw sheetNotFound();
  return row;
}

export async function getSheet(ctx: AppContext, actor: Actor, territoryId: string, sheetId: string) {
  const access = knowledgeAccess(actor, territoryId);
  const row = await readableSheet(ctx.db, access, sheetId);
  return sheetView(ctx.db, access, row, ctx.clock.now());
}

export async function createSheet(ctx: AppContext, actor: Actor, territoryId: string, input: unknown, audit: AuditContext) {
  const access = knowledgeAccess(actor, territoryId);
  const body = SheetBody.parse(input);
  const content = contentOf(body);
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    await checkContent(tx, territoryId, content);
    await checkWrite(tx, access, content.organisationId);
    const created = await insertSheet(tx, territoryId, content, body.status, { userId: access.user.userId, note: body.changeNote }, now);
    await recordAudit(tx, audit, {
      type: 'knowledge.sheet_created',
      territoryId,
      targetType: 'kb_sheet',
      targetId: created.id,
      data: { title: created.title, status: created.status, organisationId: created.organisationId },
    });
    return created;
  });
  return sheetView(ctx.db, access, row, now);
}

/**
 * An owner's action on a sheet, in one transaction: the row locked, the caller checked as one of
 * its owners (404 if they may not even read it), then `action`; returns the sheet's new view.
 */
async function ownerAction(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  sheetId: string,
  action: (tx: Executor, current: SheetRow, access: KnowledgeAccess, now: Date) => Promise<SheetRow>,
) {
  const access = knowledgeAccess(actor, territoryId);
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const current = await lockSheet(tx, territoryId, sheetId);
    if (!canRead(access, current)) throw sheetNotFound();
    await checkWrite(tx, access, current.organisationId);
    return action(tx, current, access, now);
  });
  return sheetView(ctx.db, access, row, now);
}

export async function updateSheet(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  sheetId: string,
  input: UpdateSheetBody,
  audit: AuditContext,
) {
  const { baseVersion, ...rest } = input;
  const body = SheetBody.parse(rest);
  const content = contentOf(body);
  return ownerAction(ctx, actor, territoryId, sheetId, async (tx, current, access, now) => {
    if (content.organisationId !== current.organisationId) await checkWrite(tx, access, content.organisationId);
    if (current.version !== baseVersion)
      throw conflict(
        'SHEET_VERSION_CONFLICT',
        `Cette fiche a été modifiée entre-temps (version ${current.version}, vous êtes parti de la version ${baseVersion}). Rechargez-la pour reporter vos changements.`,
        { currentVersion: current.version },
      );
    await checkContent(tx, territoryId, content);
    const updated = await writeVersion(tx, current, content, body.status, { userId: access.user.userId, note: body.changeNote }, now);
    if (updated.version !== current.version)
      await recordAudit(tx, audit, {
        type: 'knowledge.sheet_updated',
        territoryId,
        targetType: 'kb_sheet',
        targetId: sheetId,
        data: { version: updated.version, status: updated.status },
      });
    return updated;
  });
}

export function verifySheet(ctx: AppContext, actor: Actor, territoryId: string, sheetId: string, audit: AuditContext) {
  return ownerAction(ctx, actor, territoryId, sheetId, async (tx, current, access, now) => {
    if (current.status !== 'publiee')
      throw new AppError('SHEET_NOT_PUBLISHED', 422, 'Seule une fiche publiée peut être marquée comme vérifiée : publiez-la d’abord.');
    const [updated] = await tx
      .update(kbSheets)
      .set({ verifiedAt: now, verifiedById: access.user.userId, verifiedByName: null, reviewNotifiedAt: null })
      .where(eq(kbSheets.id, sheetId))
      .returning();
    await recordAudit(tx, audit, { type: 'knowledge.sheet_verified', territoryId, targetType: 'kb_sheet', targetId: sheetId });
    return updated!;
  });
}

export function archiveSheet(ctx: AppContext, actor: Actor, territoryId: string, sheetId: string, audit: AuditContext) {
  return ownerAction(ctx, actor, territoryId, sheetId, async (tx, current, access, now) => {
    const updated = await writeVersion(tx, current, current, 'archivee', { userId: access.user.userId, note: 'Fiche archivée' }, now);
    await recordAudit(tx, audit, { type: 'knowledge.sheet_archived', territoryId, targetType: 'kb_sheet', targetId: sheetId });
    return updated;
  });
}

async function hitsView(db: Executor, label: ThemeLabeller, rows: HitRow[], now: Date) {
  const orgs = await organisationRefs(
    db,
    rows.map((r) => r.organisation_id),
  );
  return rows.map((r) => {
    const verifiedAt = r.verified_at ? new Date(r.verified_at) : null;
    return {
      id: r.id,
      slug: r.slug,
      title: r.title,
      titleHighlight: r.title_highlight,
      summary: r.summary,
      excerpt: r.excerpt,
      organisation: r.organisation_id ? (orgs.get(r.organisation_id) ?? null) : null,
      themes: label(r.themes),
      status: r.status,
      verifiedAt: verifiedAt?.toISOString() ?? null,
      stale: r.status === 'publiee' && isStale(verifiedAt, now),
      score: Math.round(r.score * 1000) / 1000,
    };
  });
}

export async function searchSheets(ctx: AppContext, actor: Actor, territoryId: string, q: SheetSearchQuery): Promise<SheetSearchResult> {
  const access = knowledgeAccess(actor, territoryId);
  const now = ctx.clock.now();
  const index = await synonymIndexOf(ctx.db, territoryId);
  const analysed = q.q ? await analyseQuery(ctx.db, territoryId, q.q, index) : { concepts: [], corrections: [] };
  const staleLimit = new Date(now);
  staleLimit.setMonth(staleLimit.getMonth() - 12);
  const extra =
    q.stale === 'true'
      ? sql`(s.verified_at IS NULL OR s.verified_at < ${staleLimit})`
      : q.stale === 'false'
        ? sql`s.verified_at >= ${staleLimit}`
        : undefined;
  const result = await runSearch(ctx.db, {
    territoryId,
    analysed,
    visible: visibleSheets(access, q.status),
    organisationId: q.organisationId,
    theme: q.theme,
    extra,
    limit: q.limit ?? 20,
    offset: q.offset ?? 0,
    facets: true,
  });
  const [orgs, label] = await Promise.all([
    organisationRefs(
      ctx.db,
      result.organisations.map((o) => o.id),
    ),
    themeLabeller(ctx.db, territoryId),
  ]);
  return {
    items: await hitsView(ctx.db, label, result.items, now),
    total: result.total,
    corrections: analysed.corrections,
    expansions: analysed.concepts
      .filter((c) => c.expanded)
      .map((c) => ({ term: c.term, alternatives: c.alternatives.filter((a) => normalise(a) !== c.term) })),
    facets: {
      organisations: result.organisations
        .map((o) => ({ id: o.id ?? 'reseau', acronym: o.id ? (orgs.get(o.id)?.acronym ?? '?') : 'Réseau', count: o.count }))
        .sort((a, b) => b.count - a.count || a.acronym.localeCompare(b.acronym, 'fr')),
      themes: label(result.themes.map((t) => t.code))
        .map((t, i) => ({ ...t, count: result.themes[i]!.count }))
        .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'fr')),
    },
  };
}

/** A procedure theme code (`p.caf.prime-d-activite`) says words too. */
const themeWords = (codes: string[]) =>
  codes
    .filter((c) => c.startsWith('p.'))
    .map((c) => c.split('.').slice(2).join(' ').replace(/-/g, ' '))
    .join(' ');

/**
 * Sheets for the form an agent is filling in: those of the chosen partner and themes, ranked
 * by the words typed (the note, the request's subject...). Published sheets only.
 */
export async function suggestSheets(ctx: AppContext, actor: Actor, territoryId: string, q: SuggestionsQuery) {
  const access = knowledgeAccess(actor, territoryId);
  const themes = (q.themes ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .slice(0, 30);
  const text = `${q.text ?? ''} ${themeWords(themes)}`.trim().slice(0, 600);
  const organisationIds = [...new Set([q.organisationId, ...(q.organisationIds ?? '').split(',')].filter((id): id is string => !!id))];
  if (!text && !organisationIds.length && !themes.length) return { items: [] };
  const index = await synonymIndexOf(ctx.db, territoryId);
  const analysed = text ? await analyseQuery(ctx.db, territoryId, text, index) : { concepts: [], corrections: [] };
  // Long texts (a visit note) keep their first 12 concepts: enough to rank, cheap to run.
  analysed.concepts = analysed.concepts.slice(0, 12);
  const result = await runSearch(ctx.db, {
    territoryId,
    analysed,
    visible: visibleSheets(access),
    boost: { organisationIds, themes: themes.filter((t) => !t.startsWith('p.')) },
    limit: q.limit ?? 5,
    offset: 0,
    facets: false,
  });
  return { items: await hitsView(ctx.db, await themeLabeller(ctx.db, territoryId), result.items, ctx.clock.now()) };
}

export async function recordFeedback(ctx: AppContext, actor: Actor, territoryId: string, sheetId: string, body: FeedbackBody) {
  const access = knowledgeAccess(actor, territoryId);
  const sheet = await readableSheet(ctx.db, access, sheetId);
  const now = ctx.clock.now();
  const target = body.visitId ?? body.requestId ?? '';
  await ctx.db
    .insert(kbFeedback)
    .values({
      territoryId,
      sheetId: sheet.id,
      userId: access.user.userId,
      context: body.context ?? 'consultation',
      target,
      helpful: body.helpful,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [kbFeedback.sheetId, kbFeedback.userId, kbFeedback.context, kbFeedback.target],
      set: { helpful: body.helpful, updatedAt: now },
    });
}

export async function listVersions(ctx: AppContext, actor: Actor, territoryId: string, sheetId: string) {
  const access = knowledgeAccess(actor, territoryId);
  await readableSheet(ctx.db, access, sheetId);
  const rows = await ctx.db
    .select()
    .from(kbSheetVersions)
    .where(eq(kbSheetVersions.sheetId, sheetId))
    .orderBy(asc(kbSheetVersions.version));
  const names = await userNames(
    ctx.db,
    rows.map((r) => r.authorId),
  );
  return rows
    .map((r) => ({
      version: r.version,
      title: r.title,
      status: r.status,
      note: r.note,
      author: personRef(r.authorId, names),
      createdAt: r.createdAt.toISOString(),
      proposalId: r.proposalId,
    }))
    .reverse();
}

type Comparable = Pick<SheetContent, 'title' | 'summary' | 'keywords' | 'themes' | 'sections'> & {
  organisation?: string;
  status?: string;
};

/** Word-level differences, field by field, between two states of a sheet (unchanged fields left out). */
export function diffContents(before: Comparable, after: Comparable): FieldDiff[] {
  const fields: { field: string; label: string; a: string; b: string }[] = [
    { field: 'title', label: 'Titre', a: before.title, b: after.title },
    { field: 'summary', label: 'Résumé', a: before.summary, b: after.summary },
    { field: 'organisation', label: 'Partenaire', a: before.organisation ?? '', b: after.organisation ?? '' },
    { field: 'themes', label: 'Thèmes', a: before.themes.join(', '), b: after.themes.join(', ') },
    { field: 'keywords', label: 'Mots-clés', a: before.keywords.join(', '), b: after.keywords.join(', ') },
    { field: 'status', label: 'Statut', a: before.status ?? '', b: after.status ?? '' },
    ...SheetSectionKeys.map((k) => ({
      field: k,
      label: SheetSectionLabels[k],
      a: before.sections[k] ?? '',
      b: after.sections[k] ?? '',
    })),
  ];
  return fields
    .filter((f) => f.a !== f.b)
    .map((f) => ({
      field: f.field,
      label: f.label,
      parts: diffWordsWithSpace(f.a, f.b).map((p) => ({
        kind: p.added ? ('added' as const) : p.removed ? ('removed' as const) : ('same' as const),
        text: p.value,
      })),
    }));
}

export async function diffVersions(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  sheetId: string,
  from: number,
  to: number,
): Promise<SheetDiff> {
  const access = knowledgeAccess(actor, territoryId);
  await readableSheet(ctx.db, access, sheetId);
  const rows = await ctx.db
    .select()
    .from(kbSheetVersions)
    .where(and(eq(kbSheetVersions.sheetId, sheetId), sql`${kbSheetVersions.version} IN (${from}, ${to})`));
  const a = rows.find((r) => r.version === from);
  const b = rows.find((r) => r.version === to);
  if (!a || !b) throw notFound('Cette version de la fiche');
  const label = await themeLabeller(ctx.db, territoryId);
  const orgs = await organisationRefs(ctx.db, [a.organisationId, b.organisationId]);
  const comparable = (r: typeof a): Comparable => ({
    ...r,
    themes: label(r.themes).map((t) => t.label),
    organisation: r.organisationId ? (orgs.get(r.organisationId)?.acronym ?? '') : 'Réseau',
  });
  return { from, to, changes: diffContents(comparable(a), comparable(b)) };
}

/** The owners the caller may write sheets for. */
export async function editableOwners(ctx: AppContext, actor: Actor, territoryId: string): Promise<EditableOwners> {
  const access = knowledgeAccess(actor, territoryId);
  const orgs = await ctx.db
    .select({ id: partnerOrganisations.id, acronym: partnerOrganisations.acronym, name: partnerOrganisations.name })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.territoryId, territoryId))
    .orderBy(asc(partnerOrganisations.name));
  const managed = access.coordinator ? await managedOrganisationIds(ctx.db, territoryId) : new Set<string>();
  const out: EditableOwners = [];
  if (await canWrite(ctx.db, access, null)) out.push({ organisationId: null, label: 'Le réseau (fiche de la coordination)' });
  for (const o of orgs)
    if (access.ownOrganisationIds.includes(o.id) || (access.coordinator && !managed.has(o.id)))
      out.push({ organisationId: o.id, label: `${o.acronym} — ${o.name}` });
  return out;
}
