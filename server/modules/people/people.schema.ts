import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { contactPoints, partnerOrganisations, territories } from '../network/network.schema.ts';

/**
 * A person file (usager): the minimum a contact point needs. Identifiers are sealed with the
 * secret key (SecretBox); the NIR also has a keyed hash (`nir_hash`) to find a file by NIR and to
 * detect duplicates without decrypting. `search_name` is the normalised names for trigram search.
 */
export const people = pgTable(
  'people',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    firstName: text().notNull(),
    lastName: text().notNull(),
    birthName: text(),
    birthDate: date(),
    phone: text(),
    email: text(),
    preferredLanguage: text(),
    address: text(),
    postcode: text(),
    commune: text(),
    nirSealed: text(),
    nirHash: text(),
    cafNumberSealed: text(),
    taxNumberSealed: text(),
    franceTravailIdSealed: text(),
    /** lower(unaccent(first last birth)) maintained by the service, indexed with pg_trgm. */
    searchName: text().notNull(),
    /** The person was told what is kept and why: when and how (oral, leaflet, signed form). */
    informedAt: timestamp({ withTimezone: true }),
    informedHow: text(),
    mergedIntoId: uuid(),
    mergedAt: timestamp({ withTimezone: true }),
    anonymisedAt: timestamp({ withTimezone: true }),
    /** Why the file was anonymised: 'retention' (inactive too long), 'erasure' (the person asked), 'merge'. */
    anonymisedReason: text(),
    lastActivityAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('people_territory').on(t.territoryId),
    index('people_search_name').using('gin', sql`${t.searchName} gin_trgm_ops`),
    index('people_nir_hash').on(t.territoryId, t.nirHash),
    index('people_birth_date').on(t.territoryId, t.birthDate),
    index('people_phone').on(t.territoryId, t.phone),
    // The retention job looks for live files inactive since a date.
    index('people_inactive').on(t.territoryId, t.lastActivityAt).where(sql`${t.anonymisedAt} IS NULL AND ${t.mergedIntoId} IS NULL`),
  ],
);

/** Which contact points hold a person's file: their agents may find and read it, no one else's. */
export const personContactPoints = pgTable(
  'person_contact_points',
  {
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    personId: uuid()
      .notNull()
      .references(() => people.id),
    contactPointId: uuid()
      .notNull()
      .references(() => contactPoints.id),
    since: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.contactPointId] }), index('person_contact_points_cp').on(t.contactPointId)],
);

/** The person's agreement to share their file with a named partner. */
export const personConsents = pgTable(
  'person_consents',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    personId: uuid()
      .notNull()
      .references(() => people.id),
    organisationId: uuid()
      .notNull()
      .references(() => partnerOrganisations.id),
    givenAt: timestamp({ withTimezone: true }).notNull(),
    how: text().notNull(),
    withdrawnAt: timestamp({ withTimezone: true }),
    recordedBy: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('person_consents_person').on(t.personId)],
);

export const mandateConsentMethods = ['formulaire_signe', 'code_sms', 'telephone'] as const;

/** A mandate lets the agents of a contact point act for a person, within a scope and a duration. */
export const mandates = pgTable(
  'mandates',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    contactPointId: uuid()
      .notNull()
      .references(() => contactPoints.id),
    personId: uuid()
      .notNull()
      .references(() => people.id),
    /** { organisationIds: uuid[], procedures: string[], all: boolean } */
    scope: jsonb().$type<{ organisationIds: string[]; procedures: string[]; all: boolean }>().notNull(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    consentMethod: text({ enum: mandateConsentMethods }).notNull(),
    consentAt: timestamp({ withTimezone: true }).notNull(),
    renewedFromId: uuid(),
    /** How the consent can be traced: the SMS challenge id, the paper form's number, the call's note. */
    consentReference: text(),
    revokedAt: timestamp({ withTimezone: true }),
    revokedReason: text(),
    documentExpiredAt: timestamp({ withTimezone: true }),
    createdBy: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('mandates_person').on(t.personId), index('mandates_contact_point').on(t.contactPointId, t.endsAt)],
);

/** Text messages: sent through the configured provider, or kept here for the outbox page in embedded mode. */
export const smsMessages = pgTable(
  'sms_messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    toSealed: text().notNull(),
    body: text().notNull(),
    purpose: text().notNull(),
    delivered: boolean().notNull().default(false),
    providerId: text(),
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sms_messages_territory').on(t.territoryId, t.createdAt)],
);

/** The signed mandate form (scan or photo), sealed at rest; deleted by the retention job once the mandate has expired. */
export const mandateDocuments = pgTable(
  'mandate_documents',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    mandateId: uuid()
      .notNull()
      .references(() => mandates.id),
    fileName: text().notNull(),
    contentType: text().notNull(),
    sizeBytes: integer().notNull(),
    /** SecretBox-sealed base64 of the file's bytes. */
    contentSealed: text().notNull(),
    uploadedBy: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('mandate_documents_mandate').on(t.mandateId)],
);

/** A code sent by SMS to the person, typed back by the agent to record their consent to a mandate. */
export const smsChallenges = pgTable(
  'sms_challenges',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    personId: uuid()
      .notNull()
      .references(() => people.id),
    contactPointId: uuid()
      .notNull()
      .references(() => contactPoints.id),
    purpose: text().notNull(),
    /** What the person agreed to (the mandate's scope and duration), so the code cannot be used for another. */
    payload: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    codeHash: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    attempts: integer().notNull().default(0),
    consumedAt: timestamp({ withTimezone: true }),
    smsMessageId: uuid(),
    createdBy: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sms_challenges_person').on(t.personId)],
);
