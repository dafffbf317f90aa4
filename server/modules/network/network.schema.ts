import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

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
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('contact_points_territory_name').on(t.territoryId, t.name),
    index('contact_points_territory').on(t.territoryId),
    check('contact_points_insee', sql`${t.inseeCode} IS NULL OR ${t.inseeCode} ~ '^[0-9][0-9AB][0-9]{3}$'`),
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
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('partner_organisations_territory_acronym').on(t.territoryId, t.acronym),
    index('partner_organisations_territory').on(t.territoryId),
  ],
);
