import { and, desc, eq, gt, inArray, isNotNull, lt, ne, sql } from 'drizzle-orm';
import type {
  FieldChange,
  ImportChange,
  ImportCounts,
  ImportIssue,
  ImportReport,
  ImportSummaryView,
  ImportView,
  ServicesReport,
  StartImportBody,
} from '../../../../contracts/imports.ts';
import type { AppContext } from '../../../app-context.ts';
import { type AuditContext, recordAudit } from '../../../platform/audit.ts';
import { type Actor, authorize } from '../../../platform/authorize.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../../platform/errors.ts';
import { contactPointPartners, contactPoints, networkImports, partnerOrganisations, territories } from '../network.schema.ts';
import { decodeFile, parseAnct } from './anct.ts';
import { parseDataInclusion, type ServiceRecord } from './data-inclusion-import.ts';
import { type ImportedContactPoint, ImportFileError, type ImportRecord } from './records.ts';
import { matchPartner } from './services-match.ts';

export const IMPORT_JOB = 'network.import';
/** Rows written per transaction; progress is saved between batches. */
export const BATCH_SIZE = 100;
/** The daily job that lets go of the files of abandoned runs (a dry run never applied keeps up to 5 MB). */
export const PURGE_JOB = 'network.import-files-purge';
/** Days an import keeps its file when it is not running (enough to apply a dry run after a weekend). */
export const FILE_RETENTION_DAYS = 7;
/** The mark of a run whose file was let go by the purge (its `error`): the page says it. */
export const FILE_EXPIRED = 'Fichier expiré, relancez l’import.';
const DAY = 86_400_000;

type Format = (typeof networkImports.$inferSelect)['format'];
type ContactPointRow = typeof contactPoints.$inferSelect;

export interface ImportJobData {
  importId: string;
  allDepartments: boolean;
  audit: AuditContext;
}

/** The fields an import compares and writes, in the order the report lists them (`source` is set when a place is created). */
export const IMPORTED_FIELDS = [
  'name',
  'kind',
  'commune',
  'inseeCode',
  'matricule',
  'labelDate',
  'address',
  'addressComplement',
  'postcode',
  'latitude',
  'longitude',
  'phone',
  'email',
  'website',
  'managingBody',
  'managingBodyType',
  'openingHours',
  'hoursReview',
  'description',
] as const satisfies readonly (keyof ImportedContactPoint)[];

/** Reads the file of an import: throws ImportFileError when it cannot be read. */
export function parseImportFile(
  format: Format,
  text: string,
): { records: ImportRecord[]; issues: ImportIssue[]; notes: string[]; services: ServiceRecord[] } {
  if (format === 'anct_csv') return { ...parseAnct(text), notes: [], services: [] };
  return { ...parseDataInclusion(text), notes: [] };
}

const fileError = (error: unknown) => (error instanceof ImportFileError ? invalid('IMPORT_FILE_INVALID', error.message) : (error as Error));

async function territoryOf(ctx: AppContext, territoryId: string) {
  const [territory] = await ctx.db.select().from(territories).where(eq(territories.id, territoryId));
  if (!territory) throw notFound('Ce territoire');
  return territory;
}

/** Creates an import run and queues it (the web request returns at once). Used by the API; the CLI calls `createImportRun` and `runImport`. */
export async function startImport(ctx: AppContext, actor: Actor, territoryId: string, body: StartImportBody, audit: AuditContext) {
  authorize(actor, 'network.write', { territoryId });
  if (body.allDepartments && !(actor.kind === 'user' && actor.isPlatformAdmin)) {
    throw forbidden('Seule l’administration de la plateforme peut importer les lieux de tous les départements.');
  }
  await territoryOf(ctx, territoryId);
  const text = body.content ?? decodeFile(Buffer.from(body.contentBase64 ?? '', 'base64')).text.replace(/^\uFEFF/, '');
  const run = await createImportRun(ctx, {
    territoryId,
    format: body.format,
    fileName: body.fileName,
    text,
    dryRun: body.dryRun,
    createdBy: audit.actorUserId ?? null,
  });
  await ctx.jobs.send(IMPORT_JOB, { importId: run.id, allDepartments: body.allDepartments, audit } satisfies ImportJobData);
  return getImportRow(ctx, territoryId, run.id);
}

/** Checks the file can be read (400 otherwise, nothing written) and records the pending run. */
export async function createImportRun(
  ctx: AppContext,
  input: { territoryId: string; format: Format; fileName: string; text: string; dryRun: boolean; createdBy: string | null },
) {
  if (input.text.includes('\u0000')) {
    throw invalid('IMPORT_FILE_INVALID', 'Le fichier contient des caractères nuls : ce n’est pas un fichier texte (CSV ou JSON).');
  }
  let records: ImportRecord[];
  try {
    ({ records } = parseImportFile(input.format, input.text));
  } catch (error) {
    throw fileError(error);
  }
  if (!records.length) throw invalid('IMPORT_FILE_EMPTY', 'Le fichier ne contient aucune ligne à importer.');
  if (!input.dryRun) {
    // Two real imports at once would race on the same places; a run silent for an hour is considered dead.
    const since = new Date(ctx.clock.now().getTime() - 3600_000);
    const [busy] = await ctx.db
      .select({ id: networkImports.id })
      .from(networkImports)
      .where(
        and(
          eq(networkImports.territoryId, input.territoryId),
          eq(networkImports.dryRun, false),
          inArray(networkImports.status, ['pending', 'running']),
          gt(networkImports.createdAt, since),
        ),
      )
      .limit(1);
    if (busy) throw conflict('IMPORT_RUNNING', 'Un import est déjà en cours pour ce territoire : attendez qu’il se termine.');
  }
  const [row] = await ctx.db
    .insert(networkImports)
    .values({
      territoryId: input.territoryId,
      format: input.format,
      fileName: input.fileName,
      content: input.text,
      dryRun: input.dryRun,
      total: records.length,
      createdBy: input.createdBy,
      createdAt: ctx.clock.now(),
    })
    .returning();
  return row!;
}

/** Applies a dry run for real: a new run over the same file. */
export async function applyDryRun(ctx: AppContext, actor: Actor, territoryId: string, id: string, audit: AuditContext) {
  authorize(actor, 'network.write', { territoryId });
  const dry = await getImportRow(ctx, territoryId, id);
  if (!dry.dryRun || dry.status !== 'done' || dry.content === null) {
    throw conflict('IMPORT_NOT_APPLICABLE', 'Seul un essai terminé et pas encore appliqué peut être appliqué.');
  }
  const run = await createImportRun(ctx, {
    territoryId,
    format: dry.format,
    fileName: dry.fileName,
    text: dry.content,
    dryRun: false,
    createdBy: audit.actorUserId ?? null,
  });
  // Applied once: the dry run lets go of its file.
  await ctx.db.update(networkImports).set({ content: null }).where(eq(networkImports.id, dry.id));
  // The simulation ran with the options of its request; only an administrator's can cover every department.
  const allDepartments =
    (dry.report as ImportReport | null)?.otherDepartments.length === 0 && actor.kind === 'user' && actor.isPlatformAdmin;
  await ctx.jobs.send(IMPORT_JOB, { importId: run.id, allDepartments, audit } satisfies ImportJobData);
  return getImportRow(ctx, territoryId, run.id);
}

/**
 * Lets go of the file of every run older than FILE_RETENTION_DAYS that is not running: a dry run
 * never applied (it keeps its report, can no longer be applied) or a run still pending (its job
 * never ran: it is marked failed). Such runs carry FILE_EXPIRED. One journal event per purge that
 * let go of at least one file, with the count (and the count per territory).
 */
export async function purgeAbandonedImportFiles(ctx: AppContext): Promise<{ purged: number }> {
  const now = ctx.clock.now();
  const cutoff = new Date(now.getTime() - FILE_RETENTION_DAYS * DAY);
  return ctx.db.transaction(async (tx) => {
    const purged = await tx
      .update(networkImports)
      .set({
        content: null,
        error: FILE_EXPIRED,
        status: sql`case when ${networkImports.status} = 'pending' then 'failed' else ${networkImports.status} end`,
        finishedAt: sql`coalesce(${networkImports.finishedAt}, ${now.toISOString()}::timestamptz)`,
      })
      .where(and(isNotNull(networkImports.content), lt(networkImports.createdAt, cutoff), ne(networkImports.status, 'running')))
      .returning({ id: networkImports.id, territoryId: networkImports.territoryId });
    if (purged.length) {
      const territories: Record<string, number> = {};
      for (const row of purged) territories[row.territoryId] = (territories[row.territoryId] ?? 0) + 1;
      await recordAudit(
        tx,
        {},
        {
          type: 'network.import_files_purged',
          targetType: 'network_import',
          data: { count: purged.length, olderThanDays: FILE_RETENTION_DAYS, territories, importIds: purged.map((r) => r.id) },
        },
      );
    }
    return { purged: purged.length };
  });
}

async function getImportRow(ctx: AppContext, territoryId: string, id: string) {
  const [row] = await ctx.db
    .select()
    .from(networkImports)
    .where(and(eq(networkImports.territoryId, territoryId), eq(networkImports.id, id)));
  if (!row) throw notFound('Cet import');
  return row;
}

export const importView = (row: typeof networkImports.$inferSelect): ImportView => ({
  id: row.id,
  territoryId: row.territoryId,
  format: row.format,
  status: row.status,
  fileName: row.fileName,
  dryRun: row.dryRun,
  total: row.total,
  processed: row.processed,
  report: (row.report as ImportReport | null) ?? null,
  error: row.error,
  canApply: row.dryRun && row.status === 'done' && row.content !== null,
  fileExpired: row.content === null && row.error === FILE_EXPIRED,
  createdAt: row.createdAt.toISOString(),
  finishedAt: row.finishedAt?.toISOString() ?? null,
});

export async function getImport(ctx: AppContext, actor: Actor, territoryId: string, id: string): Promise<ImportView> {
  authorize(actor, 'network.write', { territoryId });
  return importView(await getImportRow(ctx, territoryId, id));
}

export async function listImports(ctx: AppContext, actor: Actor, territoryId: string): Promise<ImportSummaryView[]> {
  authorize(actor, 'network.write', { territoryId });
  const rows = await ctx.db
    .select()
    .from(networkImports)
    .where(eq(networkImports.territoryId, territoryId))
    .orderBy(desc(networkImports.createdAt))
    .limit(50);
  return rows.map((row) => {
    const { report, ...view } = importView(row);
    return { ...view, counts: report?.counts ?? null };
  });
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/**
 * What the record would change on the existing contact point. An empty or invalid cell never
 * erases what the territory already knows; hours a coordinator has set are kept when the file's
 * cannot be converted.
 */
export function diffContactPoint(
  existing: ContactPointRow,
  incoming: ImportedContactPoint,
  keepExisting: readonly string[] = [],
): FieldChange[] {
  const changes: FieldChange[] = [];
  const keepHours = incoming.openingHours === null && existing.openingHours !== null;
  for (const field of IMPORTED_FIELDS) {
    if (keepExisting.includes(field)) continue;
    const before = existing[field] ?? null;
    const after = incoming[field] ?? null;
    if (field === 'openingHours' || field === 'hoursReview') {
      if (keepHours) continue; // hours already set by someone: leave them and their review
      // New hours bring their own review (none when fully converted); no hours at all keeps the current review.
      if (after === null && (field === 'openingHours' || incoming.openingHours === null)) continue;
    } else if (after === null) continue;
    if (!same(before, after)) changes.push({ field, before, after });
  }
  return changes;
}

/** Picks a free name: the file's, or with its commune appended when another place of the territory has it. */
function claimName(names: Map<string, string>, key: string, values: ImportedContactPoint): { name: string; renamed: boolean } {
  const candidates = [values.name, `${values.name} (${values.commune})`, `${values.name} (${values.commune}, ${key})`];
  for (const [i, candidate] of candidates.entries()) {
    const owner = names.get(candidate);
    if (owner === undefined || owner === key) {
      names.set(candidate, key);
      return { name: candidate, renamed: i > 0 };
    }
  }
  throw new Error(`no free name for ${key}`);
}

const ownerKey = (row: ContactPointRow) => row.matricule ?? row.id;

/**
 * Runs an import: reads the file again, compares every record with the territory's contact
 * points (created / updated with the changed fields / unchanged), and — unless it is a dry run —
 * writes them per batch of BATCH_SIZE in one transaction each, with one journal event per
 * written contact point and a summary event at the end. Progress is saved between batches.
 */
export async function runImport(
  ctx: AppContext,
  data: ImportJobData,
  onProgress?: (processed: number, total: number) => void,
): Promise<typeof networkImports.$inferSelect | null> {
  const [run] = await ctx.db.select().from(networkImports).where(eq(networkImports.id, data.importId));
  if (!run || run.status === 'done' || run.status === 'failed' || run.content === null) return run ?? null;
  const setRun = async (set: Partial<typeof networkImports.$inferInsert>) => {
    await ctx.db.update(networkImports).set(set).where(eq(networkImports.id, run.id));
  };
  await setRun({ status: 'running', processed: 0 });
  const counts: ImportCounts = {
    rows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    flagged: 0,
    hoursCellsConverted: 0,
    hoursCellsUnconverted: 0,
  };
  const issues: ImportIssue[] = [];
  const changes: ImportChange[] = [];
  const otherDepartments = new Map<string, number>();
  let notes: string[] = [];
  let services: ServicesReport | undefined;
  const report = (): ImportReport => ({
    counts,
    otherDepartments: [...otherDepartments].map(([code, rows]) => ({ code, rows })).sort((a, b) => a.code.localeCompare(b.code)),
    issues,
    changes,
    notes,
    ...(services ? { services } : {}),
  });
  try {
    const territory = await territoryOf(ctx, run.territoryId);
    const parsed = parseImportFile(run.format, run.content);
    counts.rows = parsed.records.length;
    notes = parsed.notes;
    const issuesByLine = new Map<number, ImportIssue[]>();
    for (const issue of parsed.issues) issuesByLine.set(issue.line, [...(issuesByLine.get(issue.line) ?? []), issue]);

    const existing = await ctx.db.select().from(contactPoints).where(eq(contactPoints.territoryId, territory.id));
    // Found again by matricule, or by Relais's own id (a data·inclusion export of a place without matricule).
    const byKey = new Map<string, ContactPointRow>([...existing.map((r) => [r.id, r] as const)]);
    for (const r of existing) if (r.matricule) byKey.set(r.matricule, r);
    const names = new Map(existing.map((r) => [r.name, ownerKey(r)]));

    const todo: { record: ImportRecord; values: ImportedContactPoint }[] = [];
    for (const record of parsed.records) {
      const department = record.department;
      if (!data.allDepartments && department && department !== territory.departmentCode) {
        counts.skipped++;
        otherDepartments.set(department, (otherDepartments.get(department) ?? 0) + 1);
        continue;
      }
      const lineIssues = issuesByLine.get(record.line) ?? [];
      issues.push(...lineIssues);
      if (!record.values) {
        counts.skipped++;
        continue;
      }
      const values = { ...record.values };
      const previous = byKey.get(record.key);
      if (previous && previous.id === record.key) values.matricule = previous.matricule; // found by our own id
      if (previous && previous.name !== values.name && names.get(previous.name) === record.key) names.delete(previous.name);
      const { name, renamed } = claimName(names, record.key, values);
      if (renamed) {
        const issue = {
          line: record.line,
          column: run.format === 'anct_csv' ? 'lib_france_services' : 'nom',
          value: values.name,
          reason: `nom déjà porté par un autre lieu du territoire : importé sous le nom « ${name} »`,
        };
        issues.push(issue);
        lineIssues.push(issue);
      }
      values.name = name;
      counts.hoursCellsConverted += record.hoursCells?.converted ?? 0;
      counts.hoursCellsUnconverted += record.hoursCells?.unconverted ?? 0;
      if (lineIssues.length) counts.flagged++;
      todo.push({ record, values });
    }
    let processed = counts.skipped;
    await setRun({ processed });
    onProgress?.(processed, run.total);

    for (let start = 0; start < todo.length; start += BATCH_SIZE) {
      const batch = todo.slice(start, start + BATCH_SIZE);
      const apply = async (tx: Parameters<Parameters<typeof ctx.db.transaction>[0]>[0] | null) => {
        const now = ctx.clock.now();
        for (const { record, values } of batch) {
          const previous = byKey.get(record.key);
          if (!previous) {
            counts.created++;
            let id: string | null = null;
            if (tx) {
              const [row] = await tx
                .insert(contactPoints)
                .values({ ...values, territoryId: territory.id })
                .returning();
              id = row!.id;
              byKey.set(record.key, row!);
              await recordAudit(tx, data.audit, {
                type: 'contact_point.created',
                territoryId: territory.id,
                targetType: 'contact_point',
                targetId: id,
                data: { after: values, importId: run.id, line: record.line },
              });
            }
            changes.push({ line: record.line, key: record.key, name: values.name, action: 'created', contactPointId: id, fields: [] });
            continue;
          }
          const fields = diffContactPoint(previous, values, record.keepExisting);
          if (!fields.length) {
            counts.unchanged++;
            continue;
          }
          counts.updated++;
          changes.push({
            line: record.line,
            key: record.key,
            name: values.name,
            action: 'updated',
            contactPointId: previous.id,
            fields,
          });
          if (tx) {
            const set = Object.fromEntries(fields.map((f) => [f.field, f.after]));
            const [row] = await tx
              .update(contactPoints)
              .set({ ...set, updatedAt: now })
              .where(and(eq(contactPoints.territoryId, territory.id), eq(contactPoints.id, previous.id)))
              .returning();
            byKey.set(record.key, row!);
            await recordAudit(tx, data.audit, {
              type: 'contact_point.updated',
              territoryId: territory.id,
              targetType: 'contact_point',
              targetId: previous.id,
              data: {
                before: Object.fromEntries(fields.map((f) => [f.field, f.before])),
                after: set,
                importId: run.id,
                line: record.line,
              },
            });
          }
        }
        processed += batch.length;
        await (tx ?? ctx.db).update(networkImports).set({ processed }).where(eq(networkImports.id, run.id));
      };
      if (run.dryRun) await apply(null);
      else await ctx.db.transaction(apply);
      onProgress?.(processed, run.total);
    }

    if (parsed.services.length) {
      const structureOutcome = new Map<string, string>();
      const kept = new Set(todo.map((d) => d.record));
      for (const record of parsed.records) {
        if (!record.values) structureOutcome.set(record.key, 'sa structure n’a pas été importée (voir ses cellules signalées)');
        else if (!kept.has(record)) structureOutcome.set(record.key, 'sa structure est d’un autre département');
        else if (!byKey.has(record.key)) structureOutcome.set(record.key, 'new'); // created by this dry run
      }
      const link = (tx: Parameters<Parameters<typeof ctx.db.transaction>[0]>[0] | null) =>
        linkServices(ctx, tx, { run, territoryId: territory.id, services: parsed.services, byKey, structureOutcome, audit: data.audit });
      services = run.dryRun ? await link(null) : await ctx.db.transaction(link);
    }

    const finished = ctx.clock.now();
    return await ctx.db.transaction(async (tx) => {
      if (!run.dryRun) {
        const servicesCounts = services && {
          total: services.total,
          linked: services.linked,
          alreadyLinked: services.alreadyLinked,
          unmatched: services.unmatched.length,
        };
        await recordAudit(tx, data.audit, {
          type: 'network.imported',
          territoryId: territory.id,
          targetType: 'network_import',
          targetId: run.id,
          data: { format: run.format, fileName: run.fileName, allDepartments: data.allDepartments, counts, services: servicesCounts },
        });
      }
      const [row] = await tx
        .update(networkImports)
        .set({
          status: 'done',
          processed: run.total,
          report: report(),
          finishedAt: finished,
          // A dry run keeps its file so that it can be applied; a real run clears it.
          content: run.dryRun ? run.content : null,
        })
        .where(eq(networkImports.id, run.id))
        .returning();
      return row!;
    });
  } catch (error) {
    const message =
      error instanceof ImportFileError || error instanceof AppError
        ? error.message
        : 'Erreur inattendue pendant l’import : les lots déjà traités sont enregistrés, relancez l’import pour terminer.';
    if (!(error instanceof ImportFileError || error instanceof AppError)) console.error('import failed', error);
    await setRun({ status: 'failed', error: message, report: report(), finishedAt: ctx.clock.now(), content: null });
    const [row] = await ctx.db.select().from(networkImports).where(eq(networkImports.id, run.id));
    return row ?? null;
  }
}

type Tx = Parameters<Parameters<AppContext['db']['transaction']>[0]>[0];

/**
 * data·inclusion services → partners served (contact_point_partners): a service is linked when
 * its structure is a contact point of the territory (found again or created by this import) and
 * its partner organisation is recognised (services-match.ts). A link that exists already is left
 * as it is (note included), so a re-import changes nothing. Every other service is reported with
 * its position in the file and the reason. With a transaction, writes the new links with one
 * `contact_point.partners_set` event per contact point (before → after); without, only reports.
 */
async function linkServices(
  ctx: AppContext,
  tx: Tx | null,
  input: {
    run: typeof networkImports.$inferSelect;
    territoryId: string;
    services: ServiceRecord[];
    byKey: Map<string, ContactPointRow>;
    /** Structures of the file that are not contact points here: why (or 'new' for one a dry run would create). */
    structureOutcome: Map<string, string>;
    audit: AuditContext;
  },
): Promise<ServicesReport> {
  const db = tx ?? ctx.db;
  const organisations = await db.select().from(partnerOrganisations).where(eq(partnerOrganisations.territoryId, input.territoryId));
  const existing = await db.select().from(contactPointPartners).where(eq(contactPointPartners.territoryId, input.territoryId));
  const linkedPairs = new Set(existing.map((l) => `${l.contactPointId}|${l.organisationId}`));
  const report: ServicesReport = { total: input.services.length, linked: 0, alreadyLinked: 0, links: [], unmatched: [] };
  const added = new Map<string, { organisationId: string; note: string | null }[]>();
  for (const service of input.services) {
    const reject = (reason: string) =>
      report.unmatched.push({ index: service.index, id: service.id, structureId: service.structureId, nom: service.nom, reason });
    if (!service.structureId) {
      reject('structure_id absent');
      continue;
    }
    const contactPoint = input.byKey.get(service.structureId);
    const outcome = input.structureOutcome.get(service.structureId);
    if (!contactPoint && outcome !== 'new') {
      reject(outcome ?? `structure « ${service.structureId} » inconnue : ni dans le fichier ni parmi les lieux du territoire`);
      continue;
    }
    const match = matchPartner(service, organisations);
    if (match.organisationId === null) {
      reject(match.reason);
      continue;
    }
    const organisation = organisations.find((o) => o.id === match.organisationId)!;
    const pair = `${contactPoint?.id ?? `new:${service.structureId}`}|${organisation.id}`;
    if (linkedPairs.has(pair)) {
      report.alreadyLinked++;
      continue;
    }
    linkedPairs.add(pair);
    report.linked++;
    report.links.push({
      index: service.index,
      contactPointName: contactPoint?.name ?? service.structureId,
      organisationId: organisation.id,
      organisationName: organisation.name,
      by: match.by,
    });
    if (contactPoint)
      added.set(contactPoint.id, [...(added.get(contactPoint.id) ?? []), { organisationId: organisation.id, note: service.note }]);
  }
  if (tx) {
    const sorted = (list: { organisationId: string; note: string | null }[]) =>
      [...list].sort((a, b) => a.organisationId.localeCompare(b.organisationId));
    for (const [contactPointId, links] of added) {
      const before = existing
        .filter((l) => l.contactPointId === contactPointId)
        .map((l) => ({ organisationId: l.organisationId, note: l.note }));
      await tx.insert(contactPointPartners).values(links.map((l) => ({ ...l, territoryId: input.territoryId, contactPointId })));
      await recordAudit(tx, input.audit, {
        type: 'contact_point.partners_set',
        territoryId: input.territoryId,
        targetType: 'contact_point',
        targetId: contactPointId,
        data: { before: sorted(before), after: sorted([...before, ...links]), importId: input.run.id },
      });
    }
  }
  return report;
}
