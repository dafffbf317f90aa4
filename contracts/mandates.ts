import { z } from 'zod';
import { Phone, Text, Uuid } from './common.ts';

/**
 * Mandates (mandats): a person lets the agents of a contact point act on their behalf, for all
 * the territory's partners or some of them and/or some procedures, for a fixed duration (as Aidants
 * Connect: 1 day, 1 month, 6 months, 1 year). The consent is a signed paper form, a code sent by
 * SMS and typed back by the agent, or given by phone. The contact point holds the mandate, not one agent.
 */

export const MandateParams = z.strictObject({ territoryId: Uuid, id: Uuid, mandateId: Uuid });

export const MandateDurations = ['1_jour', '1_mois', '6_mois', '1_an'] as const;
export type MandateDuration = (typeof MandateDurations)[number];
export const MandateDurationLabels: Record<MandateDuration, string> = {
  '1_jour': '1 jour',
  '1_mois': '1 mois',
  '6_mois': '6 mois',
  '1_an': '1 an',
};
export const MandateDuration = z.enum(MandateDurations, { message: 'durée inconnue : 1_jour, 1_mois, 6_mois ou 1_an' });

export const MandateConsentMethods = ['formulaire_signe', 'code_sms', 'telephone'] as const;
export type MandateConsentMethod = (typeof MandateConsentMethods)[number];
export const MandateConsentMethodLabels: Record<MandateConsentMethod, string> = {
  formulaire_signe: 'Formulaire signé',
  code_sms: 'Code reçu par SMS',
  telephone: 'Accord par téléphone',
};
export const MandateConsentMethod = z.enum(MandateConsentMethods, { message: 'mode de consentement inconnu' });

export const MandateStatuses = ['actif', 'expire', 'revoque'] as const;
export type MandateStatus = (typeof MandateStatuses)[number];
export const MandateStatusLabels: Record<MandateStatus, string> = { actif: 'Actif', expire: 'Expiré', revoque: 'Révoqué' };

const unique = <T>(list: T[]) => new Set(list).size === list.length;
const Procedure = z.string().trim().min(1, { message: 'démarche vide' }).max(200, { message: 'au plus 200 caractères' });

/** All partners, or chosen partners of the territory and/or procedures of their catalogue. */
export const MandateScope = z
  .strictObject({
    all: z.boolean(),
    organisationIds: z
      .array(Uuid)
      .max(50, { message: 'au plus 50 partenaires' })
      .refine(unique, { message: 'partenaire en double' })
      .default([]),
    procedures: z
      .array(Procedure)
      .max(50, { message: 'au plus 50 démarches' })
      .refine(unique, { message: 'démarche en double' })
      .default([]),
  })
  .refine((s) => s.all || s.organisationIds.length > 0 || s.procedures.length > 0, {
    message: 'choisissez tous les partenaires, ou au moins un partenaire ou une démarche',
  });
export type MandateScope = z.output<typeof MandateScope>;

const SmsCode = z.string().regex(/^[0-9]{6}$/, { message: 'code à 6 chiffres attendu' });

const consentFields = {
  duration: MandateDuration,
  consentMethod: MandateConsentMethod,
  /** The paper form's number, the call's note… (the SMS challenge is kept for code_sms). */
  consentReference: Text(200).optional(),
  /** For code_sms: the challenge sent to the person and the code they read back. */
  challengeId: Uuid.optional(),
  code: SmsCode.optional(),
};
const smsNeedsCode = (b: { consentMethod: MandateConsentMethod; challengeId?: string; code?: string }) =>
  b.consentMethod !== 'code_sms' || (!!b.challengeId && !!b.code);
const smsNeedsCodeIssue = { message: 'avec un code SMS, indiquez challengeId et code', path: ['code'] };

export const CreateMandateBody = z
  .strictObject({
    /** The contact point that holds the mandate: one of the agent's (implicit when they have only one). */
    contactPointId: Uuid.optional(),
    scope: MandateScope,
    ...consentFields,
  })
  .refine(smsNeedsCode, smsNeedsCodeIssue);
export type CreateMandateBody = z.output<typeof CreateMandateBody>;

/** A new mandate following this one: same scope unless given, a new consent. */
export const RenewMandateBody = z
  .strictObject({ scope: MandateScope.optional(), ...consentFields })
  .refine(smsNeedsCode, smsNeedsCodeIssue);
export type RenewMandateBody = z.output<typeof RenewMandateBody>;

export const RevokeMandateBody = z.strictObject({ reason: Text(500) });
export type RevokeMandateBody = z.infer<typeof RevokeMandateBody>;

/** Sends a 6-digit code to the person (their file's phone unless another is given), valid 10 minutes. */
export const SmsChallengeBody = z.strictObject({
  contactPointId: Uuid.optional(),
  scope: MandateScope,
  duration: MandateDuration,
  phone: Phone.optional(),
});
export type SmsChallengeBody = z.output<typeof SmsChallengeBody>;

export const SmsChallengeView = z.object({
  id: Uuid,
  expiresAt: z.iso.datetime(),
  /** The number the code went to, masked (« ** ** ** 56 78 »). */
  sentTo: z.string(),
  /** true when no provider is configured: the message is in the outbox page. */
  outbox: z.boolean(),
});
export type SmsChallengeView = z.infer<typeof SmsChallengeView>;

/** The signed form: PDF, JPEG or PNG (checked from its first bytes), at most 5 MB, base64. */
export const MANDATE_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024;
export const MandateDocumentBody = z.strictObject({
  fileName: Text(200),
  /** Over 5 MB once decoded: 413 MANDATE_DOCUMENT_TOO_LARGE. */
  contentBase64: z
    .string()
    .min(4, { message: 'fichier vide' })
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'contenu base64 attendu' }),
});
export type MandateDocumentBody = z.infer<typeof MandateDocumentBody>;

export const MandateView = z.object({
  id: Uuid,
  personId: Uuid,
  contactPoint: z.object({
    id: Uuid,
    name: z.string(),
    address: z.string().nullable(),
    postcode: z.string().nullable(),
    commune: z.string(),
    managingBody: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
  }),
  scope: z.object({
    all: z.boolean(),
    organisations: z.array(z.object({ id: Uuid, acronym: z.string(), name: z.string() })),
    procedures: z.array(z.string()),
  }),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  consentMethod: MandateConsentMethod,
  consentAt: z.iso.datetime(),
  consentReference: z.string().nullable(),
  renewedFromId: Uuid.nullable(),
  revokedAt: z.iso.datetime().nullable(),
  revokedReason: z.string().nullable(),
  status: z.enum(MandateStatuses),
  /** Calendar days until the end date in the territory's time zone (0: ends today); 0 once over. */
  daysLeft: z.number().int(),
  document: z.object({ fileName: z.string(), contentType: z.string(), sizeBytes: z.number().int() }).nullable(),
  /** Whether the caller may renew, revoke and upload (an agent of the holding contact point). */
  canManage: z.boolean(),
});
export type MandateView = z.infer<typeof MandateView>;

export const MandateListView = z.object({ items: z.array(MandateView) });
export type MandateListView = z.infer<typeof MandateListView>;

export const SmsOutboxView = z.object({
  items: z.array(
    z.object({
      id: Uuid,
      createdAt: z.iso.datetime(),
      to: z.string(),
      body: z.string(),
      purpose: z.string(),
      error: z.string().nullable(),
    }),
  ),
});
export type SmsOutboxView = z.infer<typeof SmsOutboxView>;
