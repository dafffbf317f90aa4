import { z } from 'zod';
import { Uuid } from './common.ts';

/** Import and export of real network data: the ANCT France Services list and data·inclusion. */

export const ImportFormats = ['anct_csv', 'data_inclusion'] as const;
export const ImportFormat = z.enum(ImportFormats, { message: 'format inconnu (anct_csv ou data_inclusion)' });
export const ImportFormatLabels: Record<(typeof ImportFormats)[number], string> = {
  anct_csv: 'Liste France Services de l’ANCT (CSV)',
  data_inclusion: 'data·inclusion (JSON structures et services)',
};
export const ImportStatuses = ['pending', 'running', 'done', 'failed'] as const;
export const ImportStatusLabels: Record<(typeof ImportStatuses)[number], string> = {
  pending: 'en attente',
  running: 'en cours',
  done: 'terminé',
  failed: 'échoué',
};

/** Largest file accepted (before base64): 5 Mo. */
export const MAX_IMPORT_BYTES = 5_000_000;

export const StartImportBody = z
  .strictObject({
    fileName: z.string().trim().min(1, { message: 'nom de fichier manquant' }).max(200),
    format: ImportFormat,
    /** The file as text (UTF-8)… */
    content: z.string().max(MAX_IMPORT_BYTES, { message: 'fichier trop volumineux (5 Mo au plus)' }).optional(),
    /** …or its bytes in base64 (the encoding is then detected: UTF-8, else Latin-1). */
    contentBase64: z
      .string()
      .max(Math.ceil(MAX_IMPORT_BYTES / 3) * 4 + 4, { message: 'fichier trop volumineux (5 Mo au plus)' })
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'base64 invalide' })
      .optional(),
    dryRun: z.boolean().default(false),
    /** Import every row whatever its department (platform administrators only). */
    allDepartments: z.boolean().default(false),
  })
  .refine((b) => (b.content === undefined) !== (b.contentBase64 === undefined), {
    message: 'envoyez le fichier dans content ou dans contentBase64 (un seul des deux)',
    path: ['content'],
  });
export type StartImportBody = z.infer<typeof StartImportBody>;

/** One flagged cell: nothing is silently dropped or invented. */
export const ImportIssue = z.object({
  /** Line of the file (1 = header line of a CSV); for JSON, the position of the record (1-based). */
  line: z.number().int(),
  column: z.string(),
  value: z.string(),
  reason: z.string(),
});
export type ImportIssue = z.infer<typeof ImportIssue>;

export const FieldChange = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });
export type FieldChange = z.infer<typeof FieldChange>;

export const ImportChange = z.object({
  line: z.number().int(),
  key: z.string(),
  name: z.string(),
  action: z.enum(['created', 'updated']),
  contactPointId: Uuid.nullable(),
  /** For an update: every changed field, before → after. */
  fields: z.array(FieldChange),
});
export type ImportChange = z.infer<typeof ImportChange>;

export const ImportCounts = z.object({
  /** Data rows read in the file. */
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Rows left out: another department, or a row without its key or name. */
  skipped: z.number().int(),
  /** Imported contact points with at least one flagged cell. */
  flagged: z.number().int(),
  hoursCellsConverted: z.number().int(),
  hoursCellsUnconverted: z.number().int(),
});
export type ImportCounts = z.infer<typeof ImportCounts>;

/** A data·inclusion service left aside: its position in the `services` list and why. */
export const ServiceIssue = z.object({
  index: z.number().int(),
  id: z.string().nullable(),
  structureId: z.string().nullable(),
  nom: z.string().nullable(),
  reason: z.string(),
});
export type ServiceIssue = z.infer<typeof ServiceIssue>;

/** What an import did with the data·inclusion services: partners served at the contact points. */
export const ServicesReport = z.object({
  total: z.number().int(),
  /** Partners newly served at a contact point (to be, for a dry run). */
  linked: z.number().int(),
  /** Services whose partner was already served there (or twice in the file). */
  alreadyLinked: z.number().int(),
  links: z.array(
    z.object({
      index: z.number().int(),
      contactPointName: z.string(),
      organisationId: Uuid,
      organisationName: z.string(),
      /** How the organisation was recognised: our own service id, or its name/acronym in `nom` or `source`. */
      by: z.enum(['id', 'nom', 'source']),
    }),
  ),
  unmatched: z.array(ServiceIssue),
});
export type ServicesReport = z.infer<typeof ServicesReport>;

export const ImportReport = z.object({
  counts: ImportCounts,
  /** Departments of the rows left out because they are not the territory's. */
  otherDepartments: z.array(z.object({ code: z.string(), rows: z.number().int() })),
  issues: z.array(ImportIssue),
  changes: z.array(ImportChange),
  /** What the import left aside, in French (e.g. data·inclusion services). */
  notes: z.array(z.string()),
  /** data·inclusion files only (absent from reports written before services were imported). */
  services: ServicesReport.optional(),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const ImportView = z.object({
  id: Uuid,
  territoryId: Uuid,
  format: ImportFormat,
  status: z.enum(ImportStatuses),
  fileName: z.string(),
  dryRun: z.boolean(),
  total: z.number().int(),
  processed: z.number().int(),
  report: ImportReport.nullable(),
  error: z.string().nullable(),
  /** A finished dry run not applied yet. */
  canApply: z.boolean(),
  /** Its file was let go after 7 days without being applied or run: start the import again. */
  fileExpired: z.boolean(),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});
export type ImportView = z.infer<typeof ImportView>;

export const ImportSummaryView = ImportView.omit({ report: true }).extend({ counts: ImportCounts.nullable() });
export type ImportSummaryView = z.infer<typeof ImportSummaryView>;

export const ImportParams = z.strictObject({ territoryId: Uuid, id: Uuid });
