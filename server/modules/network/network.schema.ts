import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** A territory is the tenant: every business row carries its territory_id. */
export const territories = pgTable('territories', {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  name: text().notNull(),
  departmentCode: text().notNull(),
  regionCode: text().notNull(),
  timezone: text().notNull().default('Europe/Paris'),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const contactPointKinds = [
  'france_services',
  'mairie',
  'bureau_de_poste',
  'association',
  'agence_partenaire',
  'bus',
  'antenne',
] as const;

/** Where a contact point's data came from: typed by a coordinator, or imported (ANCT list, data·inclusion). */
export const dataSources = ['manual', 'anct', 'data_inclusion'] as const;

export const contactPoints = pgTable(
  'contact_points',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    name: text().notNull(),
    kind: text({ enum: contactPointKinds }).notNull(),
    commune: text().notNull(),
    inseeCode: text(),
    /** Official France Services identifier (ANCT "matricule"); the key of re-imports. */
    matricule: text(),
    labelDate: date(),
    address: text(),
    addressComplement: text(),
    postcode: text(),
    latitude: doublePrecision(),
    longitude: doublePrecision(),
    phone: text(),
    email: text(),
    website: text(),
    /** Structure porteuse: the body that runs the place (commune, La Poste, association, ...). */
    managingBody: text(),
    managingBodyType: text(),
    description: text(),
    /** Free text for the public: step-free access, hearing loop, parking... */
    accessibility: text(),
    wheelchairAccessible: boolean(),
    /** OpenStreetMap opening_hours syntax; null = unknown (never invented). */
    openingHours: text(),
    /** Set when imported hours could not be converted: a coordinator must review them. */
    hoursReview: text(),
    themes: text().array().notNull().default(sql`'{}'::text[]`),
    source: text({ enum: dataSources }).notNull().default('manual'),
    closedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('contact_points_territory_name').on(t.territoryId, t.name),
    uniqueIndex('contact_points_territory_matricule').on(t.territoryId, t.matricule),
    index('contact_points_territory').on(t.territoryId),
    index('contact_points_insee').on(t.inseeCode),
    check('contact_points_insee', sql`${t.inseeCode} IS NULL OR ${t.inseeCode} ~ '^[0-9][0-9AB][0-9]{3}$'`),
    check('contact_points_postcode', sql`${t.postcode} IS NULL OR ${t.postcode} ~ '^[0-9]{5}$'`),
    check(
      'contact_points_coordinates',
      sql`(${t.latitude} IS NULL) = (${t.longitude} IS NULL) AND (${t.latitude} IS NULL OR (${t.latitude} BETWEEN -90 AND 90 AND ${t.longitude} BETWEEN -180 AND 180))`,
    ),
  ],
);

export const partnerOrganisations = pgTable(
  'partner_organisations',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    name: text().notNull(),
    acronym: text().notNull(),
    /** Code of the national operator (CAF, CPAM, ...) or null for a local partner. */
    nationalCode: text(),
    description: text(),
    website: text(),
    phone: text(),
    email: text(),
    themes: text().array().notNull().default(sql`'{}'::text[]`),
    /** Procedures (démarches) the partner handles, as agents name them. */
    procedures: text().array().notNull().default(sql`'{}'::text[]`),
    /** Online services: [{ label, url }]. */
    links: jsonb().$type<{ label: string; url: string }[]>().notNull().default([]),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('partner_organisations_territory_acronym').on(t.territoryId, t.acronym),
    index('partner_organisations_territory').on(t.territoryId),
  ],
);

/** A named person at a partner organisation whom agents can reach (with or without a Relais account). */
export const partnerReferents = pgTable(
  'partner_referents',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    organisationId: uuid()
      .notNull()
      .references(() => partnerOrganisations.id),
    fullName: text().notNull(),
    /** Fonction: "conseillère", "référente France Services"... */
    title: text(),
    email: text(),
    phone: text(),
    /** When and how to reach them: "mardi et jeudi matin, de préférence par e-mail". */
    availability: text(),
    themes: text().array().notNull().default(sql`'{}'::text[]`),
    userId: uuid(),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('partner_referents_organisation').on(t.territoryId, t.organisationId)],
);

/** Which partners are served at which contact point (on site, by visio, during a permanence...). */
export const contactPointPartners = pgTable(
  'contact_point_partners',
  {
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    contactPointId: uuid()
      .notNull()
      .references(() => contactPoints.id),
    organisationId: uuid()
      .notNull()
      .references(() => partnerOrganisations.id),
    /** How the partner is present: "permanence le 1er mardi", "visio sur rendez-vous"... */
    note: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.contactPointId, t.organisationId] }), index('contact_point_partners_organisation').on(t.organisationId)],
);

/** A dated stop of a travelling bus or antenna: the bus's hours are its stops. */
export const busStops = pgTable(
  'bus_stops',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    contactPointId: uuid()
      .notNull()
      .references(() => contactPoints.id),
    commune: text().notNull(),
    inseeCode: text(),
    /** Where exactly: "place de l’église", "parking de la salle des fêtes". */
    place: text().notNull(),
    latitude: doublePrecision(),
    longitude: doublePrecision(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    note: text(),
    cancelledAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('bus_stops_contact_point_time').on(t.contactPointId, t.startsAt),
    index('bus_stops_territory_time').on(t.territoryId, t.startsAt),
    check('bus_stops_interval', sql`${t.endsAt} > ${t.startsAt}`),
    check('bus_stops_insee', sql`${t.inseeCode} IS NULL OR ${t.inseeCode} ~ '^[0-9][0-9AB][0-9]{3}$'`),
  ],
);

export const networkImportFormats = ['anct_csv', 'data_inclusion'] as const;
export const networkImportStatuses = ['pending', 'running', 'done', 'failed'] as const;

/** One import run (web or CLI): its progress and its report (what changed, what was flagged). */
export const networkImports = pgTable(
  'network_imports',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    format: text({ enum: networkImportFormats }).notNull(),
    status: text({ enum: networkImportStatuses }).notNull().default('pending'),
    fileName: text().notNull(),
    /** The uploaded file, kept until the import ends (then cleared). */
    content: text(),
    dryRun: boolean().notNull().default(false),
    total: integer().notNull().default(0),
    processed: integer().notNull().default(0),
    report: jsonb(),
    error: text(),
    createdBy: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('network_imports_territory').on(t.territoryId, t.createdAt)],
);
