import { z } from 'zod';
import { Uuid } from './common.ts';
import { ThemeRef } from './taxonomy.ts';

/**
 * Knowledge base: answer sheets (fiches) that let a front-desk agent who is not a specialist give
 * the right answer the first time. A sheet belongs to a territory and to a partner organisation
 * (whose referents own and validate it) or to the network itself (its coordinators own it).
 * Every save is a version; agents propose changes that the owner accepts or rejects.
 */

export const SheetStatuses = ['brouillon', 'publiee', 'archivee'] as const;
export type SheetStatus = (typeof SheetStatuses)[number];
export const SheetStatusLabels: Record<SheetStatus, string> = {
  brouillon: 'Brouillon',
  publiee: 'Publiée',
  archivee: 'Archivée',
};

/** The sections of a sheet, in display order, each written in Markdown. */
export const SheetSectionKeys = ['audience', 'prepare', 'steps', 'links', 'pitfalls', 'escalate'] as const;
export type SheetSectionKey = (typeof SheetSectionKeys)[number];
/** Headings of the sections, in the sheet and in its Markdown export (`## Pour qui`...). */
export const SheetSectionLabels: Record<SheetSectionKey, string> = {
  audience: 'Pour qui',
  prepare: 'À préparer',
  steps: 'Étapes',
  links: 'Liens utiles',
  pitfalls: 'Pièges fréquents',
  escalate: 'Quand saisir le partenaire',
};

/** A sheet not verified for this long is flagged to its owner. */
export const SHEET_REVIEW_MONTHS = 12;

const Markdown = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `au plus ${max} caractères` });
export const SheetSections = z.strictObject({
  audience: Markdown(4000).default(''),
  prepare: Markdown(8000).default(''),
  steps: Markdown(20000).min(1, { message: 'décrivez au moins les étapes' }),
  links: Markdown(4000).default(''),
  pitfalls: Markdown(8000).default(''),
  escalate: Markdown(4000).default(''),
});
export type SheetSections = z.infer<typeof SheetSections>;

const Keyword = z.string().trim().min(1, { message: 'mot-clé vide' }).max(80, { message: 'mot-clé trop long (80 caractères)' });
export const SheetTitle = z
  .string()
  .trim()
  .min(3, { message: 'titre trop court (3 caractères au moins)' })
  .max(200, { message: 'titre trop long (200 caractères)' });

export const SheetBody = z.strictObject({
  title: SheetTitle,
  /** One or two sentences shown in search results and suggestions. */
  summary: z.string().trim().max(400, { message: 'résumé trop long (400 caractères)' }).default(''),
  /** The owning partner organisation of the territory; null for a sheet of the network itself. */
  organisationId: Uuid.nullable().default(null),
  themeCodes: z.array(ThemeRef).max(12, { message: '12 thèmes au plus' }).default([]),
  /** Words the public uses for this procedure (acronyms, familiar words), searched like the title. */
  keywords: z.array(Keyword).max(30, { message: '30 mots-clés au plus' }).default([]),
  sections: SheetSections,
  status: z.enum(['brouillon', 'publiee']).default('brouillon'),
  /** What changed, for the history ("mise à jour du montant 2026"). */
  changeNote: z.string().trim().max(300).optional(),
});
export type SheetBody = z.input<typeof SheetBody>;
export const CreateSheetBody = SheetBody;
/** An update is a whole new version, based on the version the editor started from (409 otherwise). */
export const UpdateSheetBody = SheetBody.extend({ baseVersion: z.number().int().min(1) });
export type UpdateSheetBody = z.input<typeof UpdateSheetBody>;

export const SheetParams = z.strictObject({ territoryId: Uuid, sheetId: Uuid });
export const SheetVersionParams = SheetParams.extend({ version: z.coerce.number().int().min(1) });
export const ProposalParams = z.strictObject({ territoryId: Uuid, proposalId: Uuid });

const OrganisationRef = z.object({ id: Uuid, acronym: z.string(), name: z.string() });
const ThemeItem = z.object({ code: z.string(), label: z.string() });
const PersonRef = z.object({ id: Uuid.nullable(), name: z.string() });

export const SheetView = z.object({
  id: Uuid,
  territoryId: Uuid,
  slug: z.string(),
  title: z.string(),
  summary: z.string(),
  organisation: OrganisationRef.nullable(),
  themes: z.array(ThemeItem),
  keywords: z.array(z.string()),
  sections: z.object({
    audience: z.string(),
    prepare: z.string(),
    steps: z.string(),
    links: z.string(),
    pitfalls: z.string(),
    escalate: z.string(),
  }),
  /** The sections rendered to sanitised HTML (no raw HTML, http(s)/mailto/tel links only). */
  html: z.object({
    audience: z.string(),
    prepare: z.string(),
    steps: z.string(),
    links: z.string(),
    pitfalls: z.string(),
    escalate: z.string(),
  }),
  status: z.enum(SheetStatuses),
  version: z.number().int(),
  verifiedAt: z.string().nullable(),
  verifiedBy: PersonRef.nullable(),
  /** Not verified for SHEET_REVIEW_MONTHS months. */
  stale: z.boolean(),
  updatedAt: z.string(),
  updatedBy: PersonRef.nullable(),
  /** What the caller may do. */
  can: z.object({ edit: z.boolean(), propose: z.boolean() }),
  /** Open change proposals (shown to those who can edit). */
  openProposals: z.number().int(),
  /** "Did this sheet answer?" answers over the last 12 months. */
  feedback: z.object({ helpful: z.number().int(), notHelpful: z.number().int() }),
});
export type SheetView = z.infer<typeof SheetView>;

/** Highlighted text: the matched words are wrapped in HIGHLIGHT_START … HIGHLIGHT_END. */
export const HIGHLIGHT_START = '\uE000';
export const HIGHLIGHT_END = '\uE001';

export const SheetSearchQuery = z.strictObject({
  q: z.string().trim().max(200, { message: 'recherche trop longue (200 caractères)' }).optional(),
  organisationId: z.union([Uuid, z.literal('reseau')]).optional(),
  theme: ThemeRef.optional(),
  /** brouillon / archivee: only the sheets the caller owns. */
  status: z.enum(SheetStatuses).optional(),
  stale: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  offset: z.coerce.number().int().min(0).max(1000).default(0),
});
export type SheetSearchQuery = z.infer<typeof SheetSearchQuery>;

export const SheetHit = z.object({
  id: Uuid,
  slug: z.string(),
  title: z.string(),
  /** The title with the matched words highlighted. */
  titleHighlight: z.string(),
  summary: z.string(),
  /** A passage of the sheet around the matched words, highlighted. */
  excerpt: z.string(),
  organisation: OrganisationRef.nullable(),
  themes: z.array(ThemeItem),
  status: z.enum(SheetStatuses),
  verifiedAt: z.string().nullable(),
  stale: z.boolean(),
  score: z.number(),
});
export type SheetHit = z.infer<typeof SheetHit>;

export const SheetSearchResult = z.object({
  items: z.array(SheetHit),
  total: z.number().int(),
  /** Words of the query that were not in the base and were read as another word ("alocation" → "allocation"). */
  corrections: z.array(z.object({ from: z.string(), to: z.string() })),
  /** Synonyms and acronyms the search also looked for ("APL" → "aide au logement"). */
  expansions: z.array(z.object({ term: z.string(), alternatives: z.array(z.string()) })),
  facets: z.object({
    organisations: z.array(z.object({ id: z.string(), acronym: z.string(), count: z.number().int() })),
    themes: z.array(z.object({ code: z.string(), label: z.string(), count: z.number().int() })),
  }),
});
export type SheetSearchResult = z.infer<typeof SheetSearchResult>;

/** Where the agent is working: the sheets matching the chosen partner, themes and typed words. */
export const SuggestionsQuery = z.strictObject({
  organisationId: Uuid.optional(),
  /** Several partners chosen (a visit may concern more than one): comma-separated ids. */
  organisationIds: z
    .string()
    .trim()
    .max(1000)
    .regex(/^[0-9a-f-]{36}(,[0-9a-f-]{36})*$/i, { message: 'identifiants séparés par des virgules attendus' })
    .optional(),
  /** Comma-separated theme codes. */
  themes: z.string().trim().max(2000).optional(),
  text: z.string().trim().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(10).default(5),
});
export type SuggestionsQuery = z.infer<typeof SuggestionsQuery>;
export const SuggestionsResult = z.object({ items: z.array(SheetHit) });

export const FeedbackContexts = ['consultation', 'passage', 'saisine'] as const;
export type FeedbackContext = (typeof FeedbackContexts)[number];
export const FeedbackBody = z.strictObject({
  helpful: z.boolean(),
  context: z.enum(FeedbackContexts).default('consultation'),
  /** The visit or request being written when the sheet was shown (not yet saved: null). */
  visitId: Uuid.optional(),
  requestId: Uuid.optional(),
});
export type FeedbackBody = z.input<typeof FeedbackBody>;

export const SheetVersionSummary = z.object({
  version: z.number().int(),
  title: z.string(),
  status: z.enum(SheetStatuses),
  note: z.string().nullable(),
  author: PersonRef.nullable(),
  createdAt: z.string(),
  /** Set when the version came from an accepted proposal. */
  proposalId: Uuid.nullable(),
});
export const SheetVersionList = z.array(SheetVersionSummary);

export const DiffQuery = z.strictObject({
  from: z.coerce.number().int().min(1),
  to: z.coerce.number().int().min(1),
});
export const DiffPart = z.object({ kind: z.enum(['same', 'added', 'removed']), text: z.string() });
export const FieldDiff = z.object({
  /** title, summary, keywords, themes, organisation, status or a section key. */
  field: z.string(),
  label: z.string(),
  parts: z.array(DiffPart),
});
export type FieldDiff = z.infer<typeof FieldDiff>;
export const SheetDiff = z.object({ from: z.number().int(), to: z.number().int(), changes: z.array(FieldDiff) });
export type SheetDiff = z.infer<typeof SheetDiff>;

export const ProposalStatuses = ['ouverte', 'acceptee', 'refusee'] as const;
export type ProposalStatus = (typeof ProposalStatuses)[number];
export const ProposalStatusLabels: Record<ProposalStatus, string> = {
  ouverte: 'À examiner',
  acceptee: 'Acceptée',
  refusee: 'Refusée',
};
export const CreateProposalBody = z.strictObject({
  baseVersion: z.number().int().min(1),
  title: SheetTitle,
  summary: z.string().trim().max(400).default(''),
  sections: SheetSections,
  comment: z.string().trim().min(3, { message: 'expliquez la modification en quelques mots' }).max(2000),
});
export type CreateProposalBody = z.input<typeof CreateProposalBody>;
export const ReviewProposalBody = z.strictObject({
  comment: z.string().trim().max(2000).optional(),
});
export const ProposalsQuery = z.strictObject({ status: z.enum(ProposalStatuses).default('ouverte') });
export const ProposalView = z.object({
  id: Uuid,
  sheetId: Uuid,
  sheetTitle: z.string(),
  organisation: OrganisationRef.nullable(),
  baseVersion: z.number().int(),
  /** The sheet's version now: when it moved on, the reviewer sees the changes since. */
  currentVersion: z.number().int(),
  status: z.enum(ProposalStatuses),
  comment: z.string(),
  author: PersonRef.nullable(),
  createdAt: z.string(),
  reviewer: PersonRef.nullable(),
  reviewComment: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  /** What the proposal changes against its base version. */
  changes: z.array(FieldDiff),
  can: z.object({ review: z.boolean() }),
});
export type ProposalView = z.infer<typeof ProposalView>;

export const ImportQuery = z.strictObject({ dryRun: z.enum(['true', 'false']).default('false') });
export const ImportReport = z.object({
  dryRun: z.boolean(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Files rejected, each with the reason; nothing of a rejected file is written. */
  errors: z.array(z.object({ file: z.string(), code: z.string(), message: z.string() })),
  sheets: z.array(z.object({ file: z.string(), slug: z.string(), action: z.enum(['created', 'updated', 'unchanged']) })),
});
export type ImportReport = z.infer<typeof ImportReport>;
export const ExportQuery = z.strictObject({ organisationId: z.union([Uuid, z.literal('reseau')]).optional() });

/** A group of words the public uses for the same thing; searching one finds the others. */
export const SynonymGroup = z
  .array(z.string().trim().min(1).max(80))
  .min(2, { message: 'un groupe compte au moins deux expressions' })
  .max(20, { message: '20 expressions au plus par groupe' });
export const SynonymsBody = z.strictObject({ groups: z.array(SynonymGroup).max(500) });
export const SynonymsView = z.object({
  /** Groups built into Relais (acronyms of the operators, familiar words). */
  builtIn: z.array(z.array(z.string())),
  /** Groups the territory added. */
  groups: z.array(z.array(z.string())),
});

export const PreviewBody = z.strictObject({ markdown: z.string().max(20000, { message: 'texte trop long (20 000 caractères)' }) });
export const PreviewView = z.object({ html: z.string() });

/** The owners the caller may write sheets for: a partner organisation, or the network (null). */
export const EditableOwners = z.array(z.object({ organisationId: Uuid.nullable(), label: z.string() }));
export type EditableOwners = z.infer<typeof EditableOwners>;

/**
 * Routes (all under /api/territories/:territoryId/knowledge, signed-in members of the territory):
 * - GET sheets (SheetSearchQuery → SheetSearchResult), POST sheets (CreateSheetBody → 201 SheetView)
 * - GET sheets/:sheetId → SheetView; PUT sheets/:sheetId (UpdateSheetBody → SheetView, 409 SHEET_VERSION_CONFLICT)
 * - POST sheets/:sheetId/verify, POST sheets/:sheetId/archive → SheetView
 * - POST sheets/:sheetId/feedback (FeedbackBody → 204)
 * - GET sheets/:sheetId/versions → SheetVersionList; GET sheets/:sheetId/diff?from&to → SheetDiff
 * - POST sheets/:sheetId/proposals (CreateProposalBody → 201 ProposalView)
 * - GET proposals?status → ProposalView[]; GET proposals/:proposalId → ProposalView
 * - POST proposals/:proposalId/accept | reject (ReviewProposalBody → ProposalView)
 * - GET suggestions (SuggestionsQuery → SuggestionsResult)
 * - POST preview (PreviewBody → PreviewView); GET owners → EditableOwners
 * - GET export?organisationId → application/zip of Markdown files
 * - POST import?dryRun (application/zip or text/markdown → ImportReport; 422 KNOWLEDGE_IMPORT_INVALID with `report`)
 * - GET synonyms → SynonymsView; PUT synonyms (SynonymsBody → SynonymsView, coordinators)
 */
export const KNOWLEDGE_BASE_PATH = '/api/territories/:territoryId/knowledge';
