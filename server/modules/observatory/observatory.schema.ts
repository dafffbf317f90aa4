import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { territories } from '../network/network.schema.ts';

/** Columns every aggregate starts with (fresh builders per table). */
const territoryMonth = () => ({
  territoryId: uuid()
    .notNull()
    .references(() => territories.id),
  month: date().notNull(),
});
/** A visit aggregate's key after the contact point, and its measures. */
const visitFacet = () => ({
  orgKey: text().notNull(),
  facet: text().notNull(),
  value: text().notNull(),
  visits: integer().notNull(),
  minutes: bigint({ mode: 'number' }).notNull().default(0),
  timed: integer().notNull().default(0),
});
/** A delay histogram's key after the contact point, and its count. */
const delayBucket = () => ({
  organisationId: uuid().notNull(),
  themeCode: text().notNull(),
  tenths: integer().notNull(),
  requests: integer().notNull(),
});

/**
 * Monthly visit aggregates, maintained by statement-level triggers on `visits` (migration 0010,
 * ADR 15): every insert, correction, merge, anonymisation or delete adds its signed delta in the
 * same transaction, so the figures stay exact whatever code path changes a visit.
 *
 * One row per territory, month (in the territory's time zone), contact point, `orgKey` ('' for
 * every visit; a partner organisation's id for the visits that name it, so that a partner's view
 * and the coordinator's partner filter read their own rows), facet and value:
 * - `total` / '' : the visits (and `minutes`, `timed`: summed durations and how many had one);
 * - `channel`, `autonomy` ('' when not given), `person` ('oui'/'non'): one value per visit;
 * - `theme`, `action`: one row per theme or action named (a visit may name several);
 * - `org` (only under orgKey ''): one row per partner named.
 */
export const statsVisitsMonthly = pgTable(
  'stats_visits_monthly',
  {
    ...territoryMonth(),
    contactPointId: uuid().notNull(),
    ...visitFacet(),
  },
  // Contact point second: a contact point's view reads its own slice (migration 0012).
  (t) => [primaryKey({ columns: [t.territoryId, t.contactPointId, t.orgKey, t.facet, t.month, t.value] })],
);

/**
 * The same figures summed over the territory's contact points (migration 0012, ADR 15), kept by
 * the same trigger: the views of a whole territory (coordinator, partner) read a few thousand rows
 * instead of every contact point's. One more facet, `cp` (value: a contact point's id), holds each
 * contact point's `total`, so that the breakdown by contact point needs no other read.
 */
export const statsVisitsTerritory = pgTable(
  'stats_visits_territory',
  {
    ...territoryMonth(),
    ...visitFacet(),
  },
  (t) => [primaryKey({ columns: [t.territoryId, t.orgKey, t.facet, t.month, t.value] })],
);

/**
 * Monthly request aggregates by the month they were sent, maintained by triggers on `requests`.
 * Key: territory, month, sending contact point, addressed organisation (now: a re-routed request
 * counts for its new one), theme ('' when none). Measures: sent, answered (a first answer came),
 * answered within the deadline, closed, and the agents' ratings of the answer.
 */
export const statsRequestsMonthly = pgTable(
  'stats_requests_monthly',
  {
    ...territoryMonth(),
    contactPointId: uuid().notNull(),
    organisationId: uuid().notNull(),
    themeCode: text().notNull(),
    sent: integer().notNull(),
    answered: integer().notNull(),
    inTime: integer().notNull(),
    closed: integer().notNull(),
    useful: integer().notNull(),
    partlyUseful: integer().notNull(),
    notUseful: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.territoryId, t.month, t.contactPointId, t.organisationId, t.themeCode] })],
);

/**
 * Histogram of the time to first answer, in tenths of a working day: median and 90th percentile
 * are read exactly from it (cumulative counts), at that precision.
 */
export const statsRequestDelays = pgTable(
  'stats_request_delays',
  {
    ...territoryMonth(),
    contactPointId: uuid().notNull(),
    ...delayBucket(),
  },
  (t) => [primaryKey({ columns: [t.territoryId, t.month, t.contactPointId, t.organisationId, t.themeCode, t.tenths] })],
);

/**
 * The same histogram without the contact point (migration 0013, ADR 15), kept by the same trigger:
 * the views of a whole territory read their medians by month, organisation and theme from it (a
 * third of the rows of the per-contact-point histogram for the largest territory's year).
 */
export const statsRequestDelaysTerritory = pgTable(
  'stats_request_delays_territory',
  {
    ...territoryMonth(),
    ...delayBucket(),
  },
  (t) => [primaryKey({ columns: [t.territoryId, t.month, t.organisationId, t.themeCode, t.tenths] })],
);

export const surveyContexts = ['accueil', 'saisine', 'arret_bus', 'lieu'] as const;

/**
 * A link to the satisfaction survey: printed on a visit receipt (one answer), shown by the public
 * status page of a closed request (one answer), or standing for a contact point or a bus stop (QR
 * code on the counter or at the stop; many answers). It names no visit, request or person: the
 * answers cannot be traced back to anyone.
 */
export const surveyLinks = pgTable(
  'survey_links',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    contactPointId: uuid().notNull(),
    busStopId: uuid(),
    channel: text(),
    context: text({ enum: surveyContexts }).notNull(),
    tokenHash: text().notNull().unique(),
    multiUse: boolean().notNull().default(false),
    answers: integer().notNull().default(0),
    expiresAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('survey_links_contact_point').on(t.contactPointId)],
);

/**
 * One anonymous answer. The day only (no time, no link id) so that an answer given right after a
 * visit cannot be matched to it by its timestamp.
 */
export const surveyResponses = pgTable(
  'survey_responses',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    contactPointId: uuid().notNull(),
    busStopId: uuid(),
    channel: text(),
    context: text({ enum: surveyContexts }).notNull(),
    answeredOn: date().notNull(),
    /** 1 = pas du tout satisfait … 4 = très satisfait. */
    satisfaction: smallint().notNull(),
    /** Did the visit solve it: oui / en_partie / non. */
    resolved: text(),
    /** Was it clear and were you listened to: 1 … 4. */
    listened: smallint(),
    recommend: boolean(),
    comment: text(),
  },
  (t) => [
    index('survey_responses_territory_day').on(t.territoryId, t.answeredOn),
    check('survey_satisfaction', sql`${t.satisfaction} BETWEEN 1 AND 4`),
    check('survey_listened', sql`${t.listened} IS NULL OR ${t.listened} BETWEEN 1 AND 4`),
  ],
);
