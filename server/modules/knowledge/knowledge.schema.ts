import { sql } from 'drizzle-orm';
import { boolean, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { SheetSections } from '../../../contracts/knowledge.ts';
import { users } from '../accounts/accounts.schema.ts';
import { partnerOrganisations, territories } from '../network/network.schema.ts';

/** A full-text document, always written as `searchVector(...)` (text search configuration relais_fr). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * Answer sheets (fiches). The row is the current version; every version, the current one
 * included, is also in kb_sheet_versions. `search` and `body_text` are derived from the
 * content by the service in the same statement that writes it (knowledge/search-text.ts).
 */
export const kbSheets = pgTable(
  'kb_sheets',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    /** The owning partner organisation of the territory; null: the network's own sheet. */
    organisationId: uuid().references(() => partnerOrganisations.id),
    slug: text().notNull(),
    title: text().notNull(),
    summary: text().notNull().default(''),
    themes: text().array().notNull().default(sql`'{}'::text[]`),
    keywords: text().array().notNull().default(sql`'{}'::text[]`),
    sections: jsonb().$type<SheetSections>().notNull(),
    status: text({ enum: ['brouillon', 'publiee', 'archivee'] }).notNull(),
    version: integer().notNull().default(1),
    /** The sections as plain text (Markdown removed), for excerpts. */
    bodyText: text().notNull().default(''),
    search: tsvector().notNull(),
    verifiedAt: timestamp({ withTimezone: true }),
    verifiedById: uuid().references(() => users.id),
    /** Who verified it, as written (an imported sheet names a role, not an account). */
    verifiedByName: text(),
    /** When the owner was last told the sheet needs a review. */
    reviewNotifiedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdById: uuid().references(() => users.id),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedById: uuid().references(() => users.id),
  },
  (t) => [
    unique('kb_sheets_slug').on(t.territoryId, t.slug),
    index('kb_sheets_search').using('gin', t.search),
    index('kb_sheets_organisation').on(t.territoryId, t.organisationId),
    index('kb_sheets_themes').using('gin', t.themes),
  ],
);

export const kbSheetVersions = pgTable(
  'kb_sheet_versions',
  {
    sheetId: uuid()
      .notNull()
      .references(() => kbSheets.id, { onDelete: 'cascade' }),
    version: integer().notNull(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    organisationId: uuid().references(() => partnerOrganisations.id),
    title: text().notNull(),
    summary: text().notNull(),
    themes: text().array().notNull(),
    keywords: text().array().notNull(),
    sections: jsonb().$type<SheetSections>().notNull(),
    status: text({ enum: ['brouillon', 'publiee', 'archivee'] }).notNull(),
    note: text(),
    authorId: uuid().references(() => users.id),
    proposalId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sheetId, t.version] })],
);

/** A change an agent (or anyone who cannot edit the sheet) proposes to its owner. */
export const kbProposals = pgTable(
  'kb_proposals',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    sheetId: uuid()
      .notNull()
      .references(() => kbSheets.id, { onDelete: 'cascade' }),
    baseVersion: integer().notNull(),
    title: text().notNull(),
    summary: text().notNull(),
    sections: jsonb().$type<SheetSections>().notNull(),
    comment: text().notNull(),
    status: text({ enum: ['ouverte', 'acceptee', 'refusee'] })
      .notNull()
      .default('ouverte'),
    authorId: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    reviewerId: uuid().references(() => users.id),
    reviewComment: text(),
    reviewedAt: timestamp({ withTimezone: true }),
    resultingVersion: integer(),
  },
  (t) => [index('kb_proposals_open').on(t.territoryId, t.status, t.createdAt), index('kb_proposals_sheet').on(t.sheetId)],
);

/**
 * "Did this sheet answer?": one answer per person, sheet, context and visit/request (`target`,
 * '' when read on its own), the latest one counts.
 */
export const kbFeedback = pgTable(
  'kb_feedback',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    sheetId: uuid()
      .notNull()
      .references(() => kbSheets.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    context: text({ enum: ['consultation', 'passage', 'saisine'] }).notNull(),
    target: text().notNull().default(''),
    helpful: boolean().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('kb_feedback_one').on(t.sheetId, t.userId, t.context, t.target), index('kb_feedback_sheet').on(t.sheetId, t.createdAt)],
);

/** Synonym groups a territory adds to the built-in ones. */
export const kbSynonyms = pgTable(
  'kb_synonyms',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    terms: text().array().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('kb_synonyms_territory').on(t.territoryId)],
);

/**
 * The words of a territory's sheets and synonyms (lower case, no accents) with their stem:
 * a query word whose stem is not here is read as the nearest word (pg_trgm) — typo tolerance.
 */
export const kbLexicon = pgTable(
  'kb_lexicon',
  {
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    word: text().notNull(),
    lexeme: text().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.territoryId, t.word] }),
    index('kb_lexicon_lexeme').on(t.territoryId, t.lexeme),
    index('kb_lexicon_trgm').using('gist', t.territoryId, t.word.op('gist_trgm_ops')),
  ],
);
