import { z } from 'zod';
import { Text, Uuid } from './common.ts';
import { PersonDetails, PersonReadQuery } from './people.ts';

/**
 * The life of a person file after its creation: its history (one timeline), merging two files of
 * the same person, the export that answers an access request, erasure on request. Retention
 * (anonymising inactive files) is a job, not a route.
 */

export const HistoryKinds = [
  'visit',
  'mandate_given',
  'mandate_renewed',
  'mandate_revoked',
  'mandate_expired',
  'consent_given',
  'consent_withdrawn',
  'informed',
  'merged',
  'request_sent',
  'request_answered',
  'request_closed',
] as const;
export type HistoryKind = (typeof HistoryKinds)[number];
export const HistoryKindLabels: Record<HistoryKind, string> = {
  visit: 'Accueil',
  mandate_given: 'Mandat donné',
  mandate_renewed: 'Mandat renouvelé',
  mandate_revoked: 'Mandat révoqué',
  mandate_expired: 'Mandat arrivé à échéance',
  consent_given: 'Accord de partage donné',
  consent_withdrawn: 'Accord de partage retiré',
  informed: 'Information sur les données conservées',
  merged: 'Dossier fusionné dans celui-ci',
  request_sent: 'Saisine envoyée',
  request_answered: 'Réponse à une saisine',
  request_closed: 'Saisine clôturée',
};

export const HistoryQuery = PersonReadQuery.extend({
  cursor: z.string().max(200, { message: 'curseur trop long' }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export type HistoryQuery = z.infer<typeof HistoryQuery>;

const Named = z.object({ id: Uuid, name: z.string() });

export const HistoryItem = z.object({
  /** Stable key of the entry (kind and row id): the cursor's tie-breaker. */
  key: z.string(),
  kind: z.enum(HistoryKinds),
  at: z.iso.datetime(),
  contactPoint: Named.nullable(),
  visit: z
    .object({
      id: Uuid,
      channel: z.string(),
      organisations: z.array(Named),
      themeCodes: z.array(z.string()),
      actions: z.array(z.string()),
      /** The mandate the agent acted under (« sous mandat »). */
      mandateId: Uuid.nullable(),
    })
    .nullable(),
  mandate: z
    .object({
      id: Uuid,
      startsAt: z.iso.datetime(),
      endsAt: z.iso.datetime(),
      consentMethod: z.string(),
      revokedReason: z.string().nullable(),
    })
    .nullable(),
  /** The partner of a consent. */
  organisation: Named.nullable(),
  /** How the person was informed (informed). */
  how: z.string().nullable(),
  /** The file merged into this one (merged). */
  mergedPersonId: Uuid.nullable(),
  /** The request (request_*): its reference; the organisation it was sent to or that answered is in `organisation`. */
  request: z.object({ id: Uuid, reference: z.string() }).nullable(),
});
export type HistoryItem = z.infer<typeof HistoryItem>;

export const HistoryPage = z.object({ items: z.array(HistoryItem), nextCursor: z.string().nullable() });
export type HistoryPage = z.infer<typeof HistoryPage>;

/** Merge `duplicateId` into the file of the path (the survivor). */
export const MergeBody = z.strictObject({ duplicateId: Uuid });
export type MergeBody = z.infer<typeof MergeBody>;

/** The 410 PERSON_MERGED problem carries `survivorId`: the web goes to that file. */
export const MergedProblem = z.object({ code: z.literal('PERSON_MERGED'), survivorId: Uuid });

/** Erasure on request: why (journaled, without personal data). The typed confirmation is the web's. */
export const EraseBody = z.strictObject({ reason: Text(300) });
export type EraseBody = z.infer<typeof EraseBody>;
export const EraseResult = z.object({
  id: Uuid,
  anonymisedAt: z.iso.datetime(),
  visitsKept: z.number().int(),
  mandateDocumentsDeleted: z.number().int(),
});
export type EraseResult = z.infer<typeof EraseResult>;

const ExportVisit = z.object({
  id: Uuid,
  occurredAt: z.iso.datetime(),
  contactPoint: z.string(),
  channel: z.string(),
  organisations: z.array(z.string()),
  themeCodes: z.array(z.string()),
  actions: z.array(z.string()),
  autonomy: z.string().nullable(),
  durationMinutes: z.number().int().nullable(),
  comment: z.string().nullable(),
  underMandate: z.boolean(),
});

const ExportMandate = z.object({
  id: Uuid,
  contactPoint: z.string(),
  scope: z.object({ organisations: z.array(z.string()), procedures: z.array(z.string()), all: z.boolean() }),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  consentMethod: z.string(),
  consentAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
  revokedReason: z.string().nullable(),
  /** The signed forms kept (their bytes are not in the export). */
  documents: z.array(
    z.object({ fileName: z.string(), contentType: z.string(), sizeBytes: z.number().int(), uploadedAt: z.iso.datetime() }),
  ),
  documentExpiredAt: z.iso.datetime().nullable(),
});

const ExportRequest = z.object({
  reference: z.string(),
  organisation: z.string(),
  contactPoint: z.string(),
  subject: z.string(),
  description: z.string(),
  status: z.string(),
  sentAt: z.iso.datetime().nullable(),
  firstAnsweredAt: z.iso.datetime().nullable(),
  closedAt: z.iso.datetime().nullable(),
  /** The identifiers given to the organisation, by kind (nir, caf_number…). */
  identifiers: z.record(z.string(), z.string()),
  messages: z.array(z.object({ at: z.iso.datetime(), side: z.enum(['agent', 'partner']), kind: z.string(), body: z.string() })),
});

export const AccessLogEntry = z.object({
  at: z.iso.datetime(),
  type: z.string(),
  /** What happened, in French. */
  label: z.string(),
  who: z.string().nullable(),
  role: z.string().nullable(),
  screen: z.string().nullable(),
});
export type AccessLogEntry = z.infer<typeof AccessLogEntry>;

/** The whole file for the person's access request (RGPD art. 15), identifiers in clear. */
export const PersonExport = z.object({
  exportedAt: z.iso.datetime(),
  territory: z.string(),
  person: PersonDetails.extend({
    id: Uuid,
    nir: z.string().nullable(),
    cafNumber: z.string().nullable(),
    taxNumber: z.string().nullable(),
    franceTravailId: z.string().nullable(),
    informedAt: z.iso.datetime().nullable(),
    informedHow: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
  contactPoints: z.array(z.string()),
  consents: z.array(
    z.object({ organisation: z.string(), givenAt: z.iso.datetime(), how: z.string(), withdrawnAt: z.iso.datetime().nullable() }),
  ),
  mandates: z.array(ExportMandate),
  visits: z.array(ExportVisit),
  /** The requests (saisines) about the person: the conversation without the organisation's internal notes. */
  requests: z.array(ExportRequest),
  accessLog: z.array(AccessLogEntry),
});
export type PersonExport = z.infer<typeof PersonExport>;
