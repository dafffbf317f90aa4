import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import {
  SHEET_REVIEW_MONTHS,
  SheetSectionKeys,
  type SheetSections,
  type SheetStatus,
  type SheetView,
} from '../../../contracts/knowledge.ts';
import type { Executor } from '../../db/client.ts';
import { users } from '../accounts/accounts.schema.ts';
import { partnerOrganisations } from '../network/network.schema.ts';
import { activeThemeCodes } from '../visits/taxonomy.service.ts';
import { canWrite, type KnowledgeAccess } from './access.ts';
import { kbFeedback, kbProposals, type kbSheets } from './knowledge.schema.ts';
import { renderMarkdown } from './markdown.ts';

export type SheetRow = typeof kbSheets.$inferSelect;

/** Whether a sheet verified at this instant needs a review now. */
export function isStale(verifiedAt: Date | null, now: Date): boolean {
  if (!verifiedAt) return true;
  const limit = new Date(now);
  limit.setMonth(limit.getMonth() - SHEET_REVIEW_MONTHS);
  return verifiedAt < limit;
}

export async function organisationRefs(db: Executor, ids: (string | null)[]) {
  const distinct = [...new Set(ids.filter((i): i is string => !!i))];
  if (!distinct.length) return new Map<string, { id: string; acronym: string; name: string }>();
  const rows = await db
    .select({ id: partnerOrganisations.id, acronym: partnerOrganisations.acronym, name: partnerOrganisations.name })
    .from(partnerOrganisations)
    .where(inArray(partnerOrganisations.id, distinct));
  return new Map(rows.map((r) => [r.id, r]));
}

export async function userNames(db: Executor, ids: (string | null)[]) {
  const distinct = [...new Set(ids.filter((i): i is string => !!i))];
  if (!distinct.length) return new Map<string, string>();
  const rows = await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, distinct));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Theme codes with their labels (a code no longer in the taxonomy keeps its code as label). */
export async function themeLabeller(db: Executor, territoryId: string) {
  const labels = await activeThemeCodes(db, territoryId);
  return (codes: string[]) => codes.map((code) => ({ code, label: labels.get(code) ?? code }));
}

export const personRef = (id: string | null, names: Map<string, string>, fallback?: string | null) =>
  id ? { id, name: names.get(id) ?? 'Compte supprimé' } : fallback ? { id: null, name: fallback } : null;

export function renderSections(sections: SheetSections): SheetView['html'] {
  return Object.fromEntries(SheetSectionKeys.map((k) => [k, renderMarkdown(sections[k] ?? '')])) as SheetView['html'];
}

export async function sheetView(db: Executor, access: KnowledgeAccess, row: SheetRow, now: Date): Promise<SheetView> {
  const [orgs, names, label, edit] = await Promise.all([
    organisationRefs(db, [row.organisationId]),
    userNames(db, [row.verifiedById, row.updatedById]),
    themeLabeller(db, row.territoryId),
    canWrite(db, access, row.organisationId),
  ]);
  const yearAgo = new Date(now);
  yearAgo.setFullYear(yearAgo.getFullYear() - 1);
  const [fb] = await db
    .select({
      helpful: sql<number>`count(*) filter (where ${kbFeedback.helpful})::int`,
      notHelpful: sql<number>`count(*) filter (where not ${kbFeedback.helpful})::int`,
    })
    .from(kbFeedback)
    .where(and(eq(kbFeedback.sheetId, row.id), gte(kbFeedback.updatedAt, yearAgo)));
  const [open] = edit
    ? await db
        .select({ n: sql<number>`count(*)::int` })
        .from(kbProposals)
        .where(and(eq(kbProposals.sheetId, row.id), eq(kbProposals.status, 'ouverte')))
    : [{ n: 0 }];
  const sections = row.sections;
  return {
    id: row.id,
    territoryId: row.territoryId,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    organisation: row.organisationId ? (orgs.get(row.organisationId) ?? null) : null,
    themes: label(row.themes),
    keywords: row.keywords,
    sections,
    html: renderSections(sections),
    status: row.status as SheetStatus,
    version: row.version,
    verifiedAt: row.verifiedAt?.toISOString() ?? null,
    verifiedBy: personRef(row.verifiedById, names, row.verifiedByName),
    stale: row.status === 'publiee' && isStale(row.verifiedAt, now),
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: personRef(row.updatedById, names),
    can: { edit, propose: row.status !== 'archivee' },
    openProposals: open?.n ?? 0,
    feedback: { helpful: fb?.helpful ?? 0, notHelpful: fb?.notHelpful ?? 0 },
  };
}
