import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { RequestIdentifierKinds, RequestStatuses } from '../../../contracts/requests.ts';
import { contactPoints, partnerOrganisations, territories } from '../network/network.schema.ts';

/**
 * Escalation to partners (saisines). A request is sent by a contact point to a partner
 * organisation of the territory; everything that happens to it is an event in `request_events`
 * (the deadline state is computed from that log: `deadline.ts`); `requests` holds the current
 * state for listing and the derived `due_at` (recomputed from the log in the transaction that
 * appends an event).
 */

/** The identifiers a partner may require to handle a request (declared per organisation). */
export const requestIdentifierKinds = RequestIdentifierKinds;

/** Per organisation: its deadlines, the identifiers it needs, its business hours. */
export const partnerRequestSettings = pgTable('partner_request_settings', {
  organisationId: uuid()
    .primaryKey()
    .references(() => partnerOrganisations.id),
  territoryId: uuid()
    .notNull()
    .references(() => territories.id),
  /** First answer due within this many working days of sending (default 4, as the seeds say). */
  firstAnswerDays: integer().notNull().default(4),
  /** After each partner message while the request is open, the next one is due within this many working days. */
  followUpDays: integer().notNull().default(4),
  /** Per theme code: a different first-answer deadline. */
  themeDays: jsonb().$type<Record<string, number>>().notNull().default({}),
  requiredIdentifiers: text().array().notNull().default(sql`'{}'::text[]`),
  /** OSM opening_hours syntax; when set, deadlines count business hours inside working days. */
  businessHours: text(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const requestStatuses = RequestStatuses;
export const consentKinds = ['consentement', 'mandat'] as const;
export const usefulnessRatings = ['utile', 'partiellement_utile', 'pas_utile'] as const;

export const requests = pgTable(
  'requests',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    /** RLS-2026-000123: shown to the person, on the receipt, on the public status page. */
    reference: text().notNull(),
    /** Keyed hash of the short code printed on the receipt (the code itself is sealed, to reprint it). */
    statusCodeHash: text().notNull(),
    statusCodeSealed: text(),
    /** The contact point that sent it and the agent who wrote it. */
    contactPointId: uuid()
      .notNull()
      .references(() => contactPoints.id),
    createdBy: uuid(),
    /** The organisation it is addressed to now (changes when re-routed; the log keeps the history). */
    organisationId: uuid()
      .notNull()
      .references(() => partnerOrganisations.id),
    /** A named referent the agent addressed it to (optional), and the referent who took it in charge. */
    addressedToUserId: uuid(),
    assigneeUserId: uuid(),
    personId: uuid(),
    visitId: uuid(),
    themeCode: text(),
    procedure: text(),
    subject: text().notNull(),
    description: text().notNull(),
    /** Sealed JSON { kind: value } of the identifiers given to the partner. */
    identifiersSealed: text(),
    consentKind: text({ enum: consentKinds }),
    consentId: uuid(),
    mandateId: uuid(),
    status: text({ enum: requestStatuses }).notNull(),
    /** Deadline snapshot when sent (working days) and the derived due instant. */
    firstAnswerDays: integer().notNull(),
    followUpDays: integer().notNull(),
    dueAt: timestamp({ withTimezone: true }),
    sentAt: timestamp({ withTimezone: true }),
    firstAnsweredAt: timestamp({ withTimezone: true }),
    /** Time to that first answer in tenths of a working day (partner's calendar), and whether it came within the deadline. */
    firstAnswerTenths: integer(),
    firstAnswerInTime: boolean(),
    lastMessageAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    archivedAt: timestamp({ withTimezone: true }),
    /** Set when the retention job has wiped its personal data and files (the skeleton stays for statistics). */
    wipedAt: timestamp({ withTimezone: true }),
    usefulness: text({ enum: usefulnessRatings }),
    /** 'user:<id>' or 'token:<id>' + the client's Idempotency-Key: a create sent twice is stored once. */
    idempotencyScope: text(),
    idempotencyKey: text(),
    /** Monotonic version, bumped by every event: optimistic concurrency for take-in-charge and the API. */
    version: integer().notNull().default(1),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('requests_reference').on(t.reference),
    uniqueIndex('requests_idempotency').on(t.idempotencyScope, t.idempotencyKey),
    // The partner inbox (open and closed-not-archived requests of an organisation), already in its
    // order: a page reads its 50 rows, not the organisation's history (BENCHMARKS.md, requests).
    index('requests_inbox')
      .on(t.organisationId, t.dueAt, t.id)
      .where(sql`${t.status} IN ('envoyee', 'en_cours', 'attente_infos', 'repondue', 'cloturee')`),
    index('requests_organisation_time').on(t.organisationId, t.createdAt),
    // The inbox's tab counts from the index alone.
    index('requests_inbox_counts')
      .on(t.organisationId, t.status, t.assigneeUserId, t.territoryId)
      .where(sql`${t.status} IN ('envoyee', 'en_cours', 'attente_infos', 'repondue', 'cloturee')`),
    index('requests_contact_point_time').on(t.contactPointId, t.createdAt),
    index('requests_territory_time').on(t.territoryId, t.createdAt),
    // The observatory's exports page through a territory's requests by the instant they were sent.
    index('requests_territory_sent').on(t.territoryId, t.sentAt, t.id),
    // The observatory's live backlog (open requests of a territory and their deadlines).
    index('requests_open_territory')
      .on(t.territoryId, t.organisationId, t.dueAt)
      .where(sql`${t.status} IN ('envoyee', 'en_cours', 'attente_infos', 'repondue')`),
    index('requests_person').on(t.personId),
    // The deadline sweep: open requests with a due date.
    index('requests_due').on(t.dueAt).where(sql`${t.dueAt} IS NOT NULL AND ${t.status} IN ('envoyee', 'en_cours', 'repondue')`),
    index('requests_archived').on(t.territoryId, t.archivedAt).where(sql`${t.archivedAt} IS NOT NULL AND ${t.wipedAt} IS NULL`),
  ],
);

/** Global counter behind the references (RLS-<year>-<n>), created by the migration. */
export const REQUEST_REFERENCE_SEQUENCE = 'request_reference_seq';

/**
 * The request's log: every status change, message, pause, reminder, re-route. Append-only
 * (a trigger refuses UPDATE and DELETE except the retention wipe, which blanks `data`).
 */
export const requestEvents = pgTable(
  'request_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    requestId: uuid()
      .notNull()
      .references(() => requests.id),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    at: timestamp({ withTimezone: true }).notNull(),
    kind: text().notNull(),
    actorUserId: uuid(),
    actorTokenId: uuid(),
    /** 'agent' (the contact point side), 'partner', 'system'. */
    side: text().notNull(),
    organisationId: uuid(),
    messageId: uuid(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('request_events_request').on(t.requestId, t.id), index('request_events_kind_time').on(t.kind, t.at)],
);

export const messageKinds = ['message', 'demande_infos', 'reponse', 'note_interne'] as const;

/** The conversation. Internal notes (`internal`) are shown to the partner side only. */
export const requestMessages = pgTable(
  'request_messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    requestId: uuid()
      .notNull()
      .references(() => requests.id),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    kind: text({ enum: messageKinds }).notNull(),
    side: text().notNull(),
    authorUserId: uuid(),
    authorTokenId: uuid(),
    authorOrganisationId: uuid(),
    internal: boolean().notNull().default(false),
    body: text().notNull(),
    idempotencyScope: text(),
    idempotencyKey: text(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index('request_messages_request').on(t.requestId, t.createdAt),
    uniqueIndex('request_messages_idempotency').on(t.idempotencyScope, t.idempotencyKey),
  ],
);

export const scanStatuses = ['non_analyse', 'sain', 'infecte'] as const;

/** Files attached to a request or a message: bytes encrypted in the file store, metadata here. */
export const requestAttachments = pgTable(
  'request_attachments',
  {
    id: uuid().primaryKey().defaultRandom(),
    requestId: uuid()
      .notNull()
      .references(() => requests.id),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    messageId: uuid(),
    fileName: text().notNull(),
    contentType: text().notNull(),
    sizeBytes: bigint({ mode: 'number' }).notNull(),
    sha256: text().notNull(),
    /** Key in the file store (filesystem directory or S3 bucket). */
    storageKey: text().notNull(),
    scanStatus: text({ enum: scanStatuses }).notNull().default('non_analyse'),
    uploadedBy: uuid(),
    uploadedByTokenId: uuid(),
    side: text().notNull(),
    deletedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('request_attachments_request').on(t.requestId)],
);

/** Colleagues or experts of another organisation invited into a request. */
export const requestParticipants = pgTable(
  'request_participants',
  {
    id: uuid().primaryKey().defaultRandom(),
    requestId: uuid()
      .notNull()
      .references(() => requests.id),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    userId: uuid(),
    organisationId: uuid(),
    invitedBy: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('request_participants_request').on(t.requestId),
    index('request_participants_user').on(t.userId),
    index('request_participants_organisation').on(t.organisationId),
    check('request_participants_who', sql`${t.userId} IS NOT NULL OR ${t.organisationId} IS NOT NULL`),
  ],
);

/** "Seen" marks: the last event each user has seen on a request. */
export const requestReads = pgTable(
  'request_reads',
  {
    requestId: uuid()
      .notNull()
      .references(() => requests.id),
    userId: uuid().notNull(),
    lastEventId: bigint({ mode: 'number' }).notNull(),
    readAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.userId] }), index('request_reads_user').on(t.userId)],
);

/** How each person wants to be told: every email at once, or one digest a day. */
export const notificationModes = ['immediat', 'quotidien'] as const;
export const notificationPreferences = pgTable('notification_preferences', {
  userId: uuid().primaryKey(),
  mode: text({ enum: notificationModes }).notNull().default('immediat'),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** A notification for one user (email now, or in the next digest). No personal data in subject/body. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid().references(() => territories.id),
    userId: uuid().notNull(),
    requestId: uuid(),
    kind: text().notNull(),
    subject: text().notNull(),
    body: text().notNull(),
    link: text(),
    /** Not before this instant (business hours). */
    notBefore: timestamp({ withTimezone: true }).notNull(),
    sentAt: timestamp({ withTimezone: true }),
    digestedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('notifications_pending').on(t.notBefore).where(sql`${t.sentAt} IS NULL AND ${t.digestedAt} IS NULL`),
    index('notifications_user').on(t.userId, t.createdAt),
  ],
);

/** Emails kept by the app when no SMTP server is configured (the outbox page), and a copy of every email's envelope. */
export const outboxMails = pgTable(
  'outbox_mails',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid(),
    toAddress: text().notNull(),
    subject: text().notNull(),
    body: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('outbox_mails_to').on(t.toAddress, t.createdAt), index('outbox_mails_territory').on(t.territoryId, t.createdAt)],
);

/** A partner's information system subscribed to its requests' events. */
export const webhooks = pgTable(
  'webhooks',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    organisationId: uuid()
      .notNull()
      .references(() => partnerOrganisations.id),
    url: text().notNull(),
    secretSealed: text().notNull(),
    events: text().array().notNull().default(sql`'{}'::text[]`),
    active: boolean().notNull().default(true),
    createdBy: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('webhooks_organisation').on(t.organisationId)],
);

export const deliveryStatuses = ['en_attente', 'livre', 'echec'] as const;
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid().primaryKey().defaultRandom(),
    webhookId: uuid()
      .notNull()
      .references(() => webhooks.id),
    territoryId: uuid().notNull(),
    eventType: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    status: text({ enum: deliveryStatuses }).notNull().default('en_attente'),
    attempts: integer().notNull().default(0),
    lastStatusCode: integer(),
    lastError: text(),
    deliveredAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('webhook_deliveries_webhook').on(t.webhookId, t.createdAt),
    // The sweeper looks for pending deliveries every minute: only those, oldest first.
    index('webhook_deliveries_pending').on(t.createdAt).where(sql`${t.status} = 'en_attente'`),
  ],
);

/** Failed attempts of the public status page, per client address, for rate limiting. */
export const statusLookupThrottles = pgTable('status_lookup_throttles', {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  windowStartedAt: timestamp({ withTimezone: true }).notNull(),
  blockedUntil: timestamp({ withTimezone: true }),
});
