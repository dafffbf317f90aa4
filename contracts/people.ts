import { z } from 'zod';
import { Email, Phone, Text, Uuid } from './common.ts';

/**
 * Person files (usagers) of a territory. Identifiers (NIR, CAF, tax, France Travail) are sealed at
 * rest and only ever shown masked; the clear value comes from the reveal route, which is journaled.
 * The NIR is validated by the server (codes NIR_INVALID_FORMAT and NIR_INVALID_KEY, see
 * server/platform/nir.ts), so a typo is told apart from a malformed number.
 */

export const PersonParams = z.strictObject({ territoryId: Uuid, id: Uuid });
export const PersonConsentParams = z.strictObject({ territoryId: Uuid, id: Uuid, consentId: Uuid });

const Name = z.string().trim().min(1, { message: 'ne peut pas être vide' }).max(100, { message: 'au plus 100 caractères' });
/** YYYY-MM-DD, not in the future is checked by the server. */
export const BirthDate = z.iso.date({ message: 'date au format AAAA-MM-JJ attendue' });
const Postcode = z
  .string()
  .trim()
  .regex(/^[0-9]{5}$/, { message: 'code postal à 5 chiffres attendu' });
/** The NIR as typed: spaces and dots allowed; the server checks its format and key. */
export const NirInput = z.string().trim().min(1, { message: 'ne peut pas être vide' }).max(30, { message: 'au plus 30 caractères' });
/** CAF allocataire number: digits only (spaces ignored). */
export const CafNumber = z
  .string()
  .transform((v) => v.replace(/\s/g, ''))
  .pipe(z.string().regex(/^[0-9]{4,13}$/, { message: 'numéro d’allocataire CAF : 4 à 13 chiffres' }));
/** Numéro fiscal (SPI): 13 digits, the first one 0 to 3. */
export const TaxNumber = z
  .string()
  .transform((v) => v.replace(/\s/g, ''))
  .pipe(z.string().regex(/^[0-3][0-9]{12}$/, { message: 'numéro fiscal : 13 chiffres commençant par 0, 1, 2 ou 3' }));
/** France Travail identifier: 6 to 11 letters or digits (e.g. 1234567A). */
export const FranceTravailId = z
  .string()
  .transform((v) => v.replace(/\s/g, '').toUpperCase())
  .pipe(z.string().regex(/^[0-9A-Z]{6,11}$/, { message: 'identifiant France Travail : 6 à 11 lettres ou chiffres' }));

export const InformedHows = ['oral', 'notice_remise', 'formulaire_signe'] as const;
export const InformedHow = z.enum(InformedHows, { message: 'mode d’information inconnu' });
export const InformedHowLabels: Record<(typeof InformedHows)[number], string> = {
  oral: 'Information orale',
  notice_remise: 'Notice d’information remise',
  formulaire_signe: 'Formulaire signé',
};

export const IdentifierFields = ['nir', 'cafNumber', 'taxNumber', 'franceTravailId'] as const;
export const IdentifierField = z.enum(IdentifierFields, { message: 'identifiant inconnu' });
export type IdentifierField = z.infer<typeof IdentifierField>;
export const IdentifierLabels: Record<IdentifierField, string> = {
  nir: 'Numéro de sécurité sociale',
  cafNumber: 'Numéro d’allocataire CAF',
  taxNumber: 'Numéro fiscal',
  franceTravailId: 'Identifiant France Travail',
};

const personFields = {
  firstName: Name,
  lastName: Name,
  birthName: Name.nullable().optional(),
  birthDate: BirthDate.nullable().optional(),
  phone: Phone.nullable().optional(),
  email: Email.nullable().optional(),
  preferredLanguage: Text(60).nullable().optional(),
  address: Text(300).nullable().optional(),
  postcode: Postcode.nullable().optional(),
  commune: Text(120).nullable().optional(),
  nir: NirInput.nullable().optional(),
  cafNumber: CafNumber.nullable().optional(),
  taxNumber: TaxNumber.nullable().optional(),
  franceTravailId: FranceTravailId.nullable().optional(),
  /** When the person was told what is kept and why (defaults to now when informedHow is given). */
  informedAt: z.iso.datetime({ offset: true }).nullable().optional(),
  informedHow: InformedHow.nullable().optional(),
};

export const CreatePersonBody = z.strictObject({
  ...personFields,
  /** The contact point that will hold the file: required for agents (one of theirs), optional for coordinators. */
  contactPointId: Uuid.optional(),
  /** Set after the agent looked at the probable duplicates and decided this is someone else. */
  confirmNotDuplicate: z.boolean().optional(),
});
export type CreatePersonBody = z.infer<typeof CreatePersonBody>;

/** Only the fields sent change; null clears an optional field (and an identifier). */
export const UpdatePersonBody = z
  .strictObject({ ...personFields, firstName: Name.optional(), lastName: Name.optional() })
  .refine((b) => Object.keys(b).length > 0, { message: 'rien à modifier' });
export type UpdatePersonBody = z.infer<typeof UpdatePersonBody>;

/** Masked identifiers: null when absent, else e.g. « 2 ** ** ** *** *** 42 » or « *****42 ». */
export const MaskedIdentifiers = z.object({
  nir: z.string().nullable(),
  cafNumber: z.string().nullable(),
  taxNumber: z.string().nullable(),
  franceTravailId: z.string().nullable(),
});
export type MaskedIdentifiers = z.infer<typeof MaskedIdentifiers>;

export const PersonConsentView = z.object({
  id: Uuid,
  organisationId: Uuid,
  organisationName: z.string(),
  givenAt: z.iso.datetime(),
  how: z.string(),
  withdrawnAt: z.iso.datetime().nullable(),
});
export type PersonConsentView = z.infer<typeof PersonConsentView>;

/** What a file says of the person in clear (no identifier): shared by the file view and the access-request export. */
export const PersonDetails = z.object({
  firstName: z.string(),
  lastName: z.string(),
  birthName: z.string().nullable(),
  birthDate: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  preferredLanguage: z.string().nullable(),
  address: z.string().nullable(),
  postcode: z.string().nullable(),
  commune: z.string().nullable(),
});
export type PersonDetails = z.infer<typeof PersonDetails>;

export const PersonView = PersonDetails.extend({
  id: Uuid,
  territoryId: Uuid,
  identifiers: MaskedIdentifiers,
  hasNir: z.boolean(),
  informedAt: z.iso.datetime().nullable(),
  informedHow: z.string().nullable(),
  /** The contact points holding this file (their agents may find and read it). */
  contactPoints: z.array(z.object({ id: Uuid, name: z.string() })),
  consents: z.array(PersonConsentView),
  /** Whether the caller may share the file with another contact point (coordinators). */
  canShare: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type PersonView = z.infer<typeof PersonView>;

/** Where a file is opened from, kept in the journal (« accueil », « recherche », « visite »…). */
export const PersonReadQuery = z.strictObject({
  screen: z
    .string()
    .trim()
    .regex(/^[a-z0-9_-]{1,40}$/, { message: 'écran : lettres minuscules, chiffres, - ou _' })
    .optional(),
});

/** At least one criterion. q: names (accents and typos tolerated); identifier: a NIR. */
export const PersonSearchQuery = z
  .strictObject({
    q: z.string().trim().max(200, { message: 'au plus 200 caractères' }).optional(),
    birthDate: BirthDate.optional(),
    phone: Phone.optional(),
    identifier: NirInput.optional(),
    limit: z.coerce.number().int().min(1).max(50).optional(),
  })
  .refine((q) => !!(q.q && q.q.length >= 2) || !!q.birthDate || !!q.phone || !!q.identifier, {
    message: 'indiquez un nom (2 caractères au moins), une date de naissance, un téléphone ou un numéro de sécurité sociale',
  });
export type PersonSearchQuery = z.infer<typeof PersonSearchQuery>;

/** A search hit: no identifier, no contact details beyond the commune. */
export const PersonSummary = z.object({
  id: Uuid,
  firstName: z.string(),
  lastName: z.string(),
  birthName: z.string().nullable(),
  birthDate: z.string().nullable(),
  commune: z.string().nullable(),
  hasNir: z.boolean(),
});
export type PersonSummary = z.infer<typeof PersonSummary>;

export const PersonSearchResult = z.object({ items: z.array(PersonSummary), truncated: z.boolean() });
export type PersonSearchResult = z.infer<typeof PersonSearchResult>;

/** What the agent typed so far, to look for the same person before creating a file. */
export const DuplicatesBody = z
  .strictObject({
    firstName: Name.optional(),
    lastName: Name.optional(),
    birthName: Name.nullable().optional(),
    birthDate: BirthDate.nullable().optional(),
    phone: Phone.nullable().optional(),
    nir: NirInput.nullable().optional(),
  })
  .refine((b) => !!b.lastName || !!b.nir || !!b.phone, {
    message: 'indiquez au moins un nom, un téléphone ou un numéro de sécurité sociale',
  });
export type DuplicatesBody = z.infer<typeof DuplicatesBody>;

export const DuplicateReasons = ['nir', 'name_birth_date', 'phone'] as const;
export const DuplicateReasonLabels: Record<(typeof DuplicateReasons)[number], string> = {
  nir: 'même numéro de sécurité sociale',
  name_birth_date: 'nom proche et même date de naissance',
  phone: 'même téléphone',
};
export const DuplicateCandidate = PersonSummary.extend({ reasons: z.array(z.enum(DuplicateReasons)) });
export type DuplicateCandidate = z.infer<typeof DuplicateCandidate>;
export const DuplicatesResult = z.object({ candidates: z.array(DuplicateCandidate) });
export type DuplicatesResult = z.infer<typeof DuplicatesResult>;
/** The 409 PERSON_PROBABLE_DUPLICATE problem carries `candidates` (DuplicateCandidate[]). */

export const RevealBody = z.strictObject({ field: IdentifierField, reason: Text(300).optional() });
export type RevealBody = z.infer<typeof RevealBody>;
/** The clear value (NIR grouped « 2 84 05 2A 123 456 42 »); the reveal is journaled. */
export const RevealResult = z.object({ field: IdentifierField, value: z.string() });
export type RevealResult = z.infer<typeof RevealResult>;

export const ConsentHows = ['oral', 'formulaire_signe', 'courriel'] as const;
export const ConsentHowLabels: Record<(typeof ConsentHows)[number], string> = {
  oral: 'Accord oral',
  formulaire_signe: 'Formulaire signé',
  courriel: 'Accord par courriel',
};
/** The person agrees to share their file with a named partner organisation of the territory. */
export const CreateConsentBody = z.strictObject({
  organisationId: Uuid,
  how: z.enum(ConsentHows, { message: 'mode de recueil inconnu' }),
  givenAt: z.iso.datetime({ offset: true }).optional(),
});
export type CreateConsentBody = z.infer<typeof CreateConsentBody>;

/** A coordinator shares the file with another contact point of the territory. */
export const ShareWithContactPointBody = z.strictObject({ contactPointId: Uuid });
export type ShareWithContactPointBody = z.infer<typeof ShareWithContactPointBody>;
