import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { busStops, contactPoints, territories } from '../network/network.schema.ts';

/**
 * Themes a territory adds to the national default taxonomy (contracts/themes.ts + the partner
 * catalogue's procedures). `parentCode` attaches a local theme under a national one.
 */
export const territoryThemes = pgTable(
  'territory_themes',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    code: text().notNull(),
    label: text().notNull(),
    parentCode: text(),
    /** A partner × procedure theme names its organisation. */
    organisationId: uuid(),
    archivedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('territory_themes_code').on(t.territoryId, t.code)],
);

/** Reporting groups (e.g. Lozère: employment/training, social protection, ...) and which themes they count. */
export const reportingGroups = pgTable(
  'reporting_groups',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    code: text().notNull(),
    label: text().notNull(),
    sortOrder: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('reporting_groups_code').on(t.territoryId, t.code)],
);

export const reportingGroupThemes = pgTable(
  'reporting_group_themes',
  {
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    groupId: uuid()
      .notNull()
      .references(() => reportingGroups.id),
    themeCode: text().notNull(),
  },
  // A theme counts in one group of a territory.
  (t) => [primaryKey({ columns: [t.territoryId, t.themeCode] })],
);

export const visitChannels = ['sur_place', 'telephone', 'courriel', 'visio', 'arret_bus', 'domicile'] as const;
export const visitActions = [
  'information',
  'aide_demarche_en_ligne',
  'sous_mandat',
  'dossier_prepare',
  'rendez_vous_pris',
  'saisine_partenaire',
  'reorientation',
] as const;
export const visitAutonomies = ['seul', 'avec_aide', 'fait_pour'] as const;

/** One visit, call or contact (accueil). Anonymous unless linked to a person file. */
export const visits = pgTable(
  'visits',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    contactPointId: uuid()
      .notNull()
      .references(() => contactPoints.id),
    agentUserId: uuid().notNull(),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    channel: text({ enum: visitChannels }).notNull(),
    organisationIds: uuid().array().notNull().default(sql`'{}'::uuid[]`),
    themeCodes: text().array().notNull().default(sql`'{}'::text[]`),
    actions: text().array().notNull().default(sql`'{}'::text[]`),
    autonomy: text({ enum: visitAutonomies }),
    durationMinutes: integer(),
    comment: text(),
    personId: uuid(),
    busStopId: uuid().references(() => busStops.id),
    /** The mandate the agent acted under (action sous_mandat), shown as such in the person's history. */
    mandateId: uuid(),
    /** Set by the browser so that a visit sent twice (offline queue, retry) is stored once. */
    idempotencyKey: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    correctedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('visits_idempotency').on(t.agentUserId, t.idempotencyKey),
    index('visits_territory_time').on(t.territoryId, t.occurredAt),
    index('visits_contact_point_time').on(t.contactPointId, t.occurredAt),
    index('visits_person').on(t.personId),
    check('visits_duration', sql`${t.durationMinutes} IS NULL OR ${t.durationMinutes} BETWEEN 0 AND 1440`),
  ],
);
