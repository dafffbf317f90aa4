import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import YAML from 'yaml';
import { z } from 'zod';
import { type ImportReport, SheetBody, SheetSectionKeys, SheetSectionLabels, type SheetSections } from '../../../contracts/knowledge.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, authorize } from '../../platform/authorize.ts';
import { AppError } from '../../platform/errors.ts';
import { partnerOrganisations } from '../network/network.schema.ts';
import { activeThemeCodes } from '../visits/taxonomy.service.ts';
import { canWrite, type KnowledgeAccess, knowledgeAccess } from './access.ts';
import { normalise } from './analyse.ts';
import { kbSheets } from './knowledge.schema.ts';
import { linksOf, SAFE_LINK } from './markdown.ts';
import { contentOf, insertSheet, type SheetContent, sameContent, writeVersion } from './sheets.service.ts';
import type { SheetRow } from './views.ts';

/**
 * Sheets as Markdown files with YAML front matter, so that a network can share its base with
 * another: `slug`, `title`, `summary`, `organisation` (the partner's national code, e.g. CAF, or
 * its acronym; absent for a sheet of the network), `themes`, `keywords`, `verified`,
 * `verified_by`, `status`; then one `## ` heading per section (SheetSectionLabels).
 */

export const MAX_IMPORT_FILES = 2000;

const dateOnly = (d: Date) => d.toISOString().slice(0, 10);

export function sheetToMarkdown(
  sheet: Pick<SheetRow, 'slug' | 'title' | 'summary' | 'themes' | 'keywords' | 'sections' | 'status' | 'verifiedAt'>,
  organisationCode: string | null,
  verifiedBy: string | null,
): string {
  const front: Record<string, unknown> = { slug: sheet.slug, title: sheet.title };
  if (sheet.summary) front.summary = sheet.summary;
  if (organisationCode) front.organisation = organisationCode;
  front.themes = sheet.themes;
  front.keywords = sheet.keywords;
  if (sheet.verifiedAt) front.verified = dateOnly(sheet.verifiedAt);
  if (verifiedBy) front.verified_by = verifiedBy;
  front.status = sheet.status;
  // Scalars in block style, lists on one line (`themes: [famille, logement]`), as people write them.
  const yaml = Object.entries(front)
    .map(([key, value]) =>
      Array.isArray(value)
        ? `${key}: ${YAML.stringify(value, { collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0 }).trim()}\n`
        : YAML.stringify({ [key]: value }, { lineWidth: 0 }),
    )
    .join('');
  const body = SheetSectionKeys.map((k) => `## ${SheetSectionLabels[k]}\n\n${(sheet.sections[k] ?? '').trim()}\n`).join('\n');
  return `---\n${yaml}---\n${body}`;
}

const FrontMatter = z.object({
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,79}$/, { message: 'slug : lettres minuscules, chiffres et tirets (2 à 80)' }),
  title: z.string(),
  summary: z.string().default(''),
  organisation: z.string().trim().min(1).optional(),
  themes: z.array(z.string()).default([]),
  keywords: z.array(z.coerce.string()).default([]),
  verified: z.union([z.string(), z.date()]).optional(),
  verified_by: z.string().trim().max(200).optional(),
  status: z.enum(['brouillon', 'publiee', 'archivee']).default('publiee'),
});

export interface ParsedSheet {
  slug: string;
  title: string;
  summary: string;
  organisation: string | null;
  themes: string[];
  keywords: string[];
  sections: Partial<SheetSections>;
  verified: Date | null;
  verifiedBy: string | null;
  status: 'brouillon' | 'publiee' | 'archivee';
}

export class FileError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const headingKey = new Map(SheetSectionKeys.map((k) => [normalise(SheetSectionLabels[k]), k]));

/** Parses one Markdown file (throws FileError with a French message). */
export function parseSheetMarkdown(text: string): ParsedSheet {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const m = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(source);
  if (!m) throw new FileError('KNOWLEDGE_IMPORT_FRONT_MATTER', 'l’en-tête YAML (entre deux lignes ---) est absent');
  let raw: unknown;
  try {
    raw = YAML.parse(m[1]!);
  } catch (error) {
    throw new FileError('KNOWLEDGE_IMPORT_FRONT_MATTER', `en-tête YAML illisible : ${(error as Error).message.split('\n')[0]}`);
  }
  const front = FrontMatter.safeParse(raw);
  if (!front.success) {
    const issue = front.error.issues[0]!;
    throw new FileError('KNOWLEDGE_IMPORT_FRONT_MATTER', `en-tête : ${issue.path.join('.') || 'contenu'} : ${issue.message}`);
  }
  const sections: Partial<Record<keyof SheetSections, string>> = {};
  let current: keyof SheetSections | null = null;
  const buffer: string[] = [];
  const flush = () => {
    if (current) sections[current] = buffer.join('\n').trim();
    buffer.length = 0;
  };
  for (const line of m[2]!.split('\n')) {
    const h = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (h) {
      flush();
      const key = headingKey.get(normalise(h[1]!).replace(/\s*:$/, ''));
      if (!key)
        throw new FileError(
          'KNOWLEDGE_IMPORT_SECTION_UNKNOWN',
          `section « ${h[1]} » inconnue ; les sections sont : ${SheetSectionKeys.map((k) => SheetSectionLabels[k]).join(', ')}`,
        );
      if (sections[key] !== undefined) throw new FileError('KNOWLEDGE_IMPORT_SECTION_TWICE', `section « ${h[1]} » en double`);
      current = key;
      continue;
    }
    if (!current && line.trim())
      throw new FileError('KNOWLEDGE_IMPORT_SECTION_UNKNOWN', 'du texte précède la première section (« ## Pour qui », « ## Étapes »…)');
    buffer.push(line);
  }
  flush();
  const f = front.data;
  const verified = f.verified ? new Date(f.verified) : null;
  if (verified && Number.isNaN(verified.getTime())) throw new FileError('KNOWLEDGE_IMPORT_FRONT_MATTER', 'date « verified » invalide');
  for (const url of Object.values(sections).flatMap((s) => linksOf(s ?? '')))
    if (!SAFE_LINK.test(url))
      throw new FileError(
        'KNOWLEDGE_IMPORT_LINK',
        `lien refusé « ${url.slice(0, 80)} » : seuls les liens https://, http://, mailto: et tel: sont admis`,
      );
  return {
    slug: f.slug,
    title: f.title,
    summary: f.summary,
    organisation: f.organisation ?? null,
    themes: f.themes,
    keywords: f.keywords,
    sections,
    verified,
    verifiedBy: f.verified_by ?? null,
    status: f.status,
  };
}

/** The files of an upload: a zip of Markdown files, or one Markdown file. */
export function filesOf(body: Buffer, contentType: string): { name: string; text: string }[] {
  if (/zip/i.test(contentType) || (body[0] === 0x50 && body[1] === 0x4b)) {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(new Uint8Array(body), {
        filter: (f) => /\.(md|markdown)$/i.test(f.name) && !f.name.startsWith('__MACOSX/') && !/(^|\/)\./.test(f.name),
      });
    } catch {
      throw new AppError('KNOWLEDGE_IMPORT_UNREADABLE', 400, 'Cette archive zip est illisible.');
    }
    const names = Object.keys(entries).sort();
    if (names.length > MAX_IMPORT_FILES)
      throw new AppError('KNOWLEDGE_IMPORT_TOO_MANY', 413, `Une importation compte au plus ${MAX_IMPORT_FILES} fiches.`);
    return names.map((name) => ({ name, text: strFromU8(entries[name]!) }));
  }
  return [{ name: 'fiche.md', text: body.toString('utf8') }];
}

interface Planned {
  file: string;
  parsed: ParsedSheet;
  content: SheetContent;
  status: 'brouillon' | 'publiee' | 'archivee';
  existing: SheetRow | null;
  action: 'created' | 'updated' | 'unchanged';
  verified: { at: Date; byId: null; byName: string | null } | null;
}

/**
 * Plans and (unless dry run) writes an import in one transaction: every file is checked first,
 * and if any is rejected nothing is written. `access` null: the demo seed (no rights checked).
 */
export async function importFiles(
  tx: Executor,
  territoryId: string,
  files: { name: string; text: string }[],
  access: KnowledgeAccess | null,
  dryRun: boolean,
  now: Date,
): Promise<ImportReport> {
  const orgs = await tx
    .select({ id: partnerOrganisations.id, code: partnerOrganisations.nationalCode, acronym: partnerOrganisations.acronym })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.territoryId, territoryId));
  const orgByKey = new Map<string, string>();
  for (const o of orgs) {
    orgByKey.set(normalise(o.acronym), o.id);
    if (o.code) orgByKey.set(normalise(o.code), o.id);
  }
  const themes = await activeThemeCodes(tx, territoryId);
  const errors: ImportReport['errors'] = [];
  const planned: Planned[] = [];
  const slugs = new Set<string>();
  const writable = new Map<string | null, boolean>();
  for (const file of files) {
    try {
      const parsed = parseSheetMarkdown(file.text);
      if (slugs.has(parsed.slug))
        throw new FileError('KNOWLEDGE_IMPORT_SLUG_TWICE', `slug « ${parsed.slug} » déjà utilisé par un autre fichier`);
      slugs.add(parsed.slug);
      const organisationId = parsed.organisation ? (orgByKey.get(normalise(parsed.organisation)) ?? null) : null;
      if (parsed.organisation && !organisationId)
        throw new FileError(
          'KNOWLEDGE_IMPORT_ORGANISATION',
          `le partenaire « ${parsed.organisation} » n’est pas un partenaire de ce territoire`,
        );
      const unknownThemes = parsed.themes.filter((t) => !themes.has(t));
      if (unknownThemes.length)
        throw new FileError('KNOWLEDGE_IMPORT_THEME', `thème inconnu dans ce territoire : ${unknownThemes.join(', ')}`);
      const body = SheetBody.safeParse({
        title: parsed.title,
        summary: parsed.summary,
        organisationId,
        themeCodes: parsed.themes,
        keywords: parsed.keywords,
        sections: parsed.sections,
      });
      if (!body.success) {
        const issue = body.error.issues[0]!;
        throw new FileError('KNOWLEDGE_IMPORT_INVALID_SHEET', `${issue.path.join('.')} : ${issue.message}`);
      }
      const content = contentOf(body.data);
      const [existing] = await tx
        .select()
        .from(kbSheets)
        .where(and(eq(kbSheets.territoryId, territoryId), eq(kbSheets.slug, parsed.slug)));
      if (!writable.has(organisationId)) writable.set(organisationId, access ? await canWrite(tx, access, organisationId) : true);
      const mayWrite = writable.get(organisationId)!;
      if (existing && (!mayWrite || (access && !(await canWrite(tx, access, existing.organisationId)))))
        throw new FileError(
          'KNOWLEDGE_IMPORT_FORBIDDEN',
          `la fiche « ${parsed.slug} » existe et appartient à un partenaire : seuls ses référents peuvent la modifier`,
        );
      // A partner's sheet brought by someone else waits for the partner: a draft, not verified.
      const status = mayWrite ? parsed.status : 'brouillon';
      const verified =
        mayWrite && parsed.verified && status === 'publiee' ? { at: parsed.verified, byId: null, byName: parsed.verifiedBy } : null;
      const action = !existing ? 'created' : sameContent(existing, content, status) ? 'unchanged' : 'updated';
      planned.push({ file: file.name, parsed, content, status, existing: existing ?? null, action, verified });
    } catch (error) {
      if (!(error instanceof FileError)) throw error;
      errors.push({ file: file.name, code: error.code, message: error.message });
    }
  }
  const report: ImportReport = {
    dryRun,
    created: planned.filter((p) => p.action === 'created').length,
    updated: planned.filter((p) => p.action === 'updated').length,
    unchanged: planned.filter((p) => p.action === 'unchanged').length,
    errors,
    sheets: planned.map((p) => ({ file: p.file, slug: p.parsed.slug, action: p.action })),
  };
  if (dryRun || errors.length) return report;
  const userId = access?.user.userId ?? null;
  for (const p of planned) {
    if (p.action === 'created') {
      const row = await insertSheet(
        tx,
        territoryId,
        p.content,
        p.status === 'archivee' ? 'brouillon' : p.status,
        { userId, note: 'Importée', slug: p.parsed.slug, verified: p.verified },
        now,
      );
      if (p.status === 'archivee') await writeVersion(tx, row, p.content, 'archivee', { userId, note: 'Importée archivée' }, now);
    } else if (p.action === 'updated')
      await writeVersion(tx, p.existing!, p.content, p.status, { userId, note: 'Mise à jour par importation', verified: p.verified }, now);
  }
  return report;
}

export async function importSheets(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  body: Buffer,
  contentType: string,
  dryRun: boolean,
  audit: AuditContext,
): Promise<ImportReport> {
  const access = knowledgeAccess(actor, territoryId);
  authorize(access.user, 'knowledge.manage', { territoryId });
  const files = filesOf(body, contentType);
  if (!files.length) throw new AppError('KNOWLEDGE_IMPORT_EMPTY', 422, 'Aucun fichier Markdown (.md) dans cet envoi.');
  const now = ctx.clock.now();
  const report = await ctx.db.transaction(async (tx) => {
    const r = await importFiles(tx, territoryId, files, access, dryRun, now);
    if (!dryRun && !r.errors.length)
      await recordAudit(tx, audit, {
        type: 'knowledge.imported',
        territoryId,
        targetType: 'territory',
        targetId: territoryId,
        data: { created: r.created, updated: r.updated, unchanged: r.unchanged },
      });
    return r;
  });
  if (report.errors.length && !dryRun)
    throw new AppError(
      'KNOWLEDGE_IMPORT_INVALID',
      422,
      `${report.errors.length} fichier(s) refusé(s) : rien n’a été importé. Corrigez-les puis recommencez.`,
      undefined,
      { report },
    );
  return report;
}

/** A zip of the sheets the caller sees (published ones; the owner's drafts too), one file per sheet. */
export async function exportSheets(ctx: AppContext, actor: Actor, territoryId: string, organisationId?: string) {
  const access = knowledgeAccess(actor, territoryId);
  const rows = await ctx.db
    .select()
    .from(kbSheets)
    .where(
      and(
        eq(kbSheets.territoryId, territoryId),
        organisationId === 'reseau'
          ? isNull(kbSheets.organisationId)
          : organisationId
            ? eq(kbSheets.organisationId, organisationId)
            : undefined,
        inArray(kbSheets.status, ['publiee', 'brouillon']),
      ),
    )
    .orderBy(asc(kbSheets.slug));
  const visible = rows.filter(
    (r) => r.status === 'publiee' || access.coordinator || (r.organisationId && access.ownOrganisationIds.includes(r.organisationId)),
  );
  const orgs = await ctx.db
    .select({ id: partnerOrganisations.id, code: partnerOrganisations.nationalCode, acronym: partnerOrganisations.acronym })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.territoryId, territoryId));
  const codeOf = new Map(orgs.map((o) => [o.id, o.code ?? o.acronym]));
  const files: Record<string, Uint8Array> = {};
  for (const r of visible) {
    const code = r.organisationId ? (codeOf.get(r.organisationId) ?? null) : null;
    const folder = code ? normalise(code).replace(/[^a-z0-9]+/g, '-') : 'reseau';
    // Who verified it, as a role: the file leaves the territory, a colleague's name does not.
    const verifiedBy = r.verifiedAt ? (r.verifiedByName ?? (code ? `Référent ${code}` : 'Coordination du réseau')) : null;
    files[`fiches/${folder}/${r.slug}.md`] = strToU8(sheetToMarkdown(r, code, verifiedBy));
  }
  return { zip: Buffer.from(zipSync(files, { level: 6 })), count: visible.length };
}
