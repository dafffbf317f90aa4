import { z } from 'zod';
import { Text, Uuid } from './common.ts';

/**
 * Requests (saisines): a contact point escalates a person's question to a partner organisation
 * of the territory, which must answer within a number of working days. Statuses are worded for
 * each audience: the agent, the partner, the public status page.
 */

export const RequestStatuses = ['envoyee', 'en_cours', 'attente_infos', 'repondue', 'cloturee', 'archivee'] as const;
export type RequestStatus = (typeof RequestStatuses)[number];
export const RequestStatus = z.enum(RequestStatuses, { message: 'statut inconnu' });
export const OpenRequestStatuses: readonly RequestStatus[] = ['envoyee', 'en_cours', 'attente_infos', 'repondue'];

export const RequestIdentifierKinds = [
  'nir',
  'caf_number',
  'tax_number',
  'france_travail_id',
  'msa_number',
  'birth_date',
  'address',
  'phone',
  'email',
] as const;
export type RequestIdentifierKind = (typeof RequestIdentifierKinds)[number];
export const RequestIdentifierLabels: Record<RequestIdentifierKind, string> = {
  nir: 'Numéro de sécurité sociale (NIR)',
  caf_number: 'Numéro d’allocataire CAF',
  tax_number: 'Numéro fiscal',
  france_travail_id: 'Identifiant France Travail',
  msa_number: 'Numéro MSA',
  birth_date: 'Date de naissance',
  address: 'Adresse',
  phone: 'Téléphone',
  email: 'Adresse e-mail',
};

export const DeadlineLevels = ['aucune', 'dans_les_temps', 'a_mi_parcours', 'bientot', 'depassee'] as const;
export type DeadlineLevel = (typeof DeadlineLevels)[number];
export const DeadlineLevelLabels: Record<DeadlineLevel, string> = {
  aucune: 'Pas de délai en cours',
  dans_les_temps: 'Dans les temps',
  a_mi_parcours: 'À mi-parcours',
  bientot: 'Échéance proche',
  depassee: 'Délai dépassé',
};

export const MessageKinds = ['message', 'reponse', 'demande_infos', 'note_interne'] as const;
export type MessageKind = (typeof MessageKinds)[number];
export const MessageKindLabels: Record<MessageKind, string> = {
  message: 'Message',
  reponse: 'Réponse',
  demande_infos: 'Demande d’informations',
  note_interne: 'Note interne (visible du partenaire seulement)',
};

export const UsefulnessRatings = ['utile', 'partiellement_utile', 'pas_utile'] as const;
export type UsefulnessRating = (typeof UsefulnessRatings)[number];
export const UsefulnessLabels: Record<UsefulnessRating, string> = {
  utile: 'Réponse utile',
  partiellement_utile: 'Réponse en partie utile',
  pas_utile: 'Réponse pas utile',
};

export const RequestActions = [
  'take',
  'assign',
  'partner_message',
  'answer',
  'ask_info',
  'agent_message',
  'reroute',
  'invite',
  'note',
  'close',
  'reopen',
  'archive',
  'rate',
] as const;
export type RequestAction = (typeof RequestActions)[number];

export const RequestParams = z.strictObject({ territoryId: Uuid, requestId: Uuid });
export const AttachmentParams = z.strictObject({ territoryId: Uuid, requestId: Uuid, attachmentId: Uuid });
export const OrganisationInboxParams = z.strictObject({ territoryId: Uuid, organisationId: Uuid });
export const ReferenceParams = z.strictObject({
  territoryId: Uuid,
  reference: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^RLS-[0-9]{4}-[0-9]{6,}$/, { message: 'référence attendue : RLS-2026-000123' }),
});

/** Idempotency-Key header: any client-chosen string, 8 to 100 characters (a UUID is fine). */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(8, { message: 'clé d’idempotence trop courte (8 caractères au moins)' })
    .max(100, { message: 'clé d’idempotence trop longue' })
    .regex(/^[\x21-\x7e]+$/, { message: 'clé d’idempotence : caractères ASCII visibles seulement' })
    .optional(),
});

const Identifiers = z.partialRecord(z.enum(RequestIdentifierKinds, { message: 'identifiant inconnu' }), Text(200)).default({});

export const RequestConsent = z.discriminatedUnion(
  'kind',
  [
    /** The person agreed, at the desk, that their file is shared with this organisation. */
    z.strictObject({ kind: z.literal('consentement'), how: Text(200).default('Accord oral au guichet') }),
    /** The agents act under a running mandate of the contact point covering this organisation. */
    z.strictObject({ kind: z.literal('mandat'), mandateId: Uuid }),
  ],
  { message: 'consentement attendu : { kind: "consentement" } ou { kind: "mandat", mandateId }' },
);
export type RequestConsent = z.output<typeof RequestConsent>;

export const CreateRequestBody = z
  .strictObject({
    /** The sending contact point: one of the agent's (implicit when they have only one). */
    contactPointId: Uuid.optional(),
    organisationId: Uuid,
    /** A named referent of that organisation (optional: otherwise the organisation's inbox). */
    addressedToUserId: Uuid.optional(),
    personId: Uuid.optional(),
    visitId: Uuid.optional(),
    themeCode: z.string().trim().min(1).max(80).optional(),
    procedure: Text(200).optional(),
    subject: Text(200),
    description: Text(10_000),
    /** Identifiers the partner requires; missing ones are taken from the person's file. */
    identifiers: Identifiers,
    consent: RequestConsent.optional(),
  })
  .refine((b) => !b.personId || !!b.consent, {
    message: 'pour une saisine au sujet d’une personne, indiquez son consentement ou le mandat',
    path: ['consent'],
  });
export type CreateRequestBody = z.output<typeof CreateRequestBody>;

export const DeadlineView = z.object({
  level: z.enum(DeadlineLevels),
  running: z.boolean(),
  paused: z.boolean(),
  days: z.number().int().nullable(),
  fraction: z.number(),
  dueAt: z.iso.datetime().nullable(),
  /** Working days left, rounded down (negative when late); null when no clock runs. */
  workingDaysLeft: z.number().nullable(),
});
export type DeadlineView = z.infer<typeof DeadlineView>;

const OrganisationRef = z.object({ id: Uuid, acronym: z.string(), name: z.string() });
const UserRef = z.object({ id: Uuid, name: z.string() });

export const RequestSummary = z.object({
  id: Uuid,
  reference: z.string(),
  status: RequestStatus,
  /** In plain French for the caller's side. */
  statusLabel: z.string(),
  subject: z.string(),
  themeCode: z.string().nullable(),
  procedure: z.string().nullable(),
  organisation: OrganisationRef,
  contactPoint: z.object({ id: Uuid, name: z.string() }),
  assignee: UserRef.nullable(),
  /** The person's name when the caller may see it; null otherwise or when the request is about no one. */
  personName: z.string().nullable(),
  createdAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
  lastMessageAt: z.iso.datetime().nullable(),
  deadline: DeadlineView,
  /** Something happened since the caller last opened it. */
  unread: z.boolean(),
});
export type RequestSummary = z.infer<typeof RequestSummary>;

export const RequestListView = z.object({ items: z.array(RequestSummary), nextCursor: z.string().nullable() });
export type RequestListView = z.infer<typeof RequestListView>;

export const InboxFilters = ['nouvelles', 'miennes', 'en_cours', 'attente_infos', 'repondues', 'cloturees', 'toutes'] as const;
export type InboxFilter = (typeof InboxFilters)[number];
export const InboxFilterLabels: Record<InboxFilter, string> = {
  nouvelles: 'Nouvelles',
  miennes: 'Prises en charge par moi',
  en_cours: 'En cours',
  attente_infos: 'En attente d’informations',
  repondues: 'Répondues',
  cloturees: 'Clôturées',
  toutes: 'Toutes',
};
export const InboxQuery = z.strictObject({
  filtre: z.enum(InboxFilters, { message: 'filtre inconnu' }).default('toutes'),
  themeCode: z.string().trim().min(1).max(80).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type InboxQuery = z.output<typeof InboxQuery>;

export const RequestListQuery = z.strictObject({
  contactPointId: Uuid.optional(),
  organisationId: Uuid.optional(),
  status: RequestStatus.optional(),
  personId: Uuid.optional(),
  /** Only open requests (default) or all. */
  open: z.enum(['oui', 'non'], { message: 'oui ou non' }).default('oui'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type RequestListQuery = z.output<typeof RequestListQuery>;

export const AttachmentView = z.object({
  id: Uuid,
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  scanStatus: z.enum(['non_analyse', 'sain', 'infecte']),
  messageId: Uuid.nullable(),
  side: z.enum(['agent', 'partner']),
  createdAt: z.iso.datetime(),
});
export type AttachmentView = z.infer<typeof AttachmentView>;

export const MessageView = z.object({
  id: Uuid,
  kind: z.enum(MessageKinds),
  side: z.enum(['agent', 'partner']),
  internal: z.boolean(),
  author: z.string(),
  organisation: z.string().nullable(),
  body: z.string(),
  createdAt: z.iso.datetime(),
  attachments: z.array(AttachmentView),
});
export type MessageView = z.infer<typeof MessageView>;

export const RequestEventView = z.object({
  id: z.number().int(),
  at: z.iso.datetime(),
  kind: z.string(),
  /** One line in French: « Prise en charge par Claire Martin (CAF) ». */
  text: z.string(),
});
export type RequestEventView = z.infer<typeof RequestEventView>;

export const RequestDetails = RequestSummary.extend({
  description: z.string(),
  side: z.enum(['agent', 'partner', 'coordination']),
  /** Only for the parties; labelled values. */
  identifiers: z.array(z.object({ kind: z.enum(RequestIdentifierKinds), label: z.string(), value: z.string() })),
  person: z.object({ id: Uuid.nullable(), name: z.string(), birthDate: z.string().nullable(), phone: z.string().nullable() }).nullable(),
  consent: z.object({ kind: z.enum(['consentement', 'mandat']), text: z.string() }).nullable(),
  addressedTo: UserRef.nullable(),
  participants: z.array(z.object({ id: Uuid, user: UserRef.nullable(), organisation: OrganisationRef.nullable() })),
  messages: z.array(MessageView),
  attachments: z.array(AttachmentView),
  events: z.array(RequestEventView),
  usefulness: z.enum(UsefulnessRatings).nullable(),
  allowedActions: z.array(z.enum(RequestActions)),
  version: z.number().int(),
  /** The status as the public page words it, and its next step. */
  publicStatus: z.object({ label: z.string(), nextStep: z.string() }),
  wiped: z.boolean(),
});
export type RequestDetails = z.infer<typeof RequestDetails>;

/** What any agent of the territory sees when looking a request up by reference (the person phones). */
export const RequestLookupView = z.object({
  id: Uuid,
  reference: z.string(),
  status: RequestStatus,
  statusLabel: z.string(),
  nextStep: z.string(),
  organisation: OrganisationRef,
  contactPoint: z.object({ id: Uuid, name: z.string() }),
  sentAt: z.iso.datetime().nullable(),
  lastUpdateAt: z.iso.datetime(),
  deadline: DeadlineView,
  /** Whether the caller's contact point (or organisation) is party to it: then the details page opens. */
  canOpen: z.boolean(),
});
export type RequestLookupView = z.infer<typeof RequestLookupView>;

export const CreatedRequestView = RequestDetails.extend({
  /** The short code for the public status page, printed on the receipt. */
  statusCode: z.string(),
});
export type CreatedRequestView = z.infer<typeof CreatedRequestView>;

export const ReceiptView = z.object({
  reference: z.string(),
  statusCode: z.string(),
  subject: z.string(),
  organisation: OrganisationRef,
  contactPoint: z.object({ name: z.string(), address: z.string().nullable(), phone: z.string().nullable(), commune: z.string() }),
  sentAt: z.iso.datetime().nullable(),
  days: z.number().int(),
  statusUrl: z.string(),
});
export type ReceiptView = z.infer<typeof ReceiptView>;

/** A message in the thread; `expectedVersion` makes a concurrent change answer 409 instead of crossing it. */
export const PostMessageBody = z.strictObject({
  kind: z.enum(MessageKinds, { message: 'type de message inconnu' }).default('message'),
  body: Text(10_000),
  /** Attachments uploaded beforehand (POST …/attachments) to join to this message. */
  attachmentIds: z.array(Uuid).max(10, { message: 'au plus 10 pièces jointes par message' }).default([]),
});
export type PostMessageBody = z.output<typeof PostMessageBody>;

export const VersionBody = z.strictObject({ expectedVersion: z.number().int().positive().optional() });
export const AssignBody = z.strictObject({ userId: Uuid, expectedVersion: z.number().int().positive().optional() });
export const RerouteBody = z.strictObject({ organisationId: Uuid, reason: Text(2000) });
export const InviteBody = z
  .strictObject({ userId: Uuid.optional(), organisationId: Uuid.optional() })
  .refine((b) => !!b.userId !== !!b.organisationId, { message: 'invitez une personne (userId) ou une organisation (organisationId)' });
export const CloseBody = z.strictObject({ reason: Text(2000).optional() });
export const ReopenBody = z.strictObject({ reason: Text(2000) });
export const RateBody = z.strictObject({ usefulness: z.enum(UsefulnessRatings, { message: 'note inconnue' }) });

export const RequestSettingsView = z.object({
  organisationId: Uuid,
  firstAnswerDays: z.number().int(),
  followUpDays: z.number().int(),
  themeDays: z.record(z.string(), z.number().int()),
  requiredIdentifiers: z.array(z.enum(RequestIdentifierKinds)),
  businessHours: z.string().nullable(),
});
export type RequestSettingsView = z.infer<typeof RequestSettingsView>;
const Days = z.number().int().min(1, { message: 'au moins 1 jour ouvré' }).max(60, { message: 'au plus 60 jours ouvrés' });
export const RequestSettingsBody = z.strictObject({
  firstAnswerDays: Days,
  followUpDays: Days,
  themeDays: z.record(z.string().min(1).max(80), Days).default({}),
  requiredIdentifiers: z.array(z.enum(RequestIdentifierKinds, { message: 'identifiant inconnu' })).default([]),
  businessHours: z.string().trim().max(500).nullable().default(null),
});
export type RequestSettingsBody = z.output<typeof RequestSettingsBody>;

/** Public status page: reference + the code printed on the receipt. */
export const PublicStatusBody = z.strictObject({
  reference: z.string().trim().toUpperCase().max(30, { message: 'référence trop longue' }),
  code: z
    .string()
    .trim()
    .toUpperCase()
    .max(20, { message: 'code trop long' })
    .transform((v) => v.replace(/[\s-]/g, '')),
});
export const PublicStatusView = z.object({
  reference: z.string(),
  status: z.string(),
  nextStep: z.string(),
  organisation: z.string(),
  sentAt: z.iso.datetime().nullable(),
  lastUpdateAt: z.iso.datetime(),
  /** The due date when a deadline runs (a date, not a promise: « réponse attendue d’ici le … »). */
  dueAt: z.iso.datetime().nullable(),
  /** Once the request is closed: the link to the anonymous satisfaction survey (« Donnez votre avis »), else null. */
  surveyUrl: z.string().nullable(),
});
export type PublicStatusView = z.infer<typeof PublicStatusView>;

/** The partner inbox: one page of a filter, and how many requests each filter holds (the tabs). */
export const InboxView = RequestListView.extend({ counts: z.record(z.enum(InboxFilters), z.number().int()) });
export type InboxView = z.infer<typeof InboxView>;

/** People of an organisation a request can be assigned to (its referents and managers with an account). */
export const AssigneesView = z.object({ items: z.array(UserRef) });
export type AssigneesView = z.infer<typeof AssigneesView>;
