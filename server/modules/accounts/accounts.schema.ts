import { sql } from 'drizzle-orm';
import { boolean, check, customType, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contactPoints, partnerOrganisations, territories } from '../network/network.schema.ts';

const citext = customType<{ data: string }>({ dataType: () => 'citext' });

export const users = pgTable('users', {
  id: uuid().primaryKey().defaultRandom(),
  email: citext().notNull().unique(),
  displayName: text().notNull(),
  /** scrypt hash (see docs/adr/0004); null until an invitation is accepted or for OIDC-only accounts. */
  passwordHash: text(),
  status: text({ enum: ['invited', 'active', 'deactivated'] })
    .notNull()
    .default('active'),
  isPlatformAdmin: boolean().notNull().default(false),
  lastActiveAt: timestamp({ withTimezone: true }),
  inactivityWarnedAt: timestamp({ withTimezone: true }),
  deactivatedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const membershipRoles = ['agent', 'referent', 'manager', 'coordinator'] as const;

/** What a user may do in a territory: agent of a contact point, referent/manager of an organisation, coordinator. */
export const memberships = pgTable(
  'memberships',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    role: text({ enum: membershipRoles }).notNull(),
    contactPointId: uuid().references(() => contactPoints.id),
    organisationId: uuid().references(() => partnerOrganisations.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('memberships_user').on(t.userId),
    index('memberships_territory').on(t.territoryId),
    uniqueIndex('memberships_unique').on(
      t.userId,
      t.territoryId,
      t.role,
      sql`coalesce(${t.contactPointId}, ${t.organisationId}, '00000000-0000-0000-0000-000000000000')`,
    ),
    check(
      'memberships_scope',
      sql`(${t.role} = 'agent' AND ${t.contactPointId} IS NOT NULL AND ${t.organisationId} IS NULL)
        OR (${t.role} IN ('referent', 'manager') AND ${t.organisationId} IS NOT NULL AND ${t.contactPointId} IS NULL)
        OR (${t.role} = 'coordinator' AND ${t.contactPointId} IS NULL AND ${t.organisationId} IS NULL)`,
    ),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    tokenHash: text().notNull().unique(),
    csrfToken: text().notNull(),
    method: text({ enum: ['password', 'oidc'] }).notNull(),
    /** The provider's ID token (sealed with the secret key), sent back as id_token_hint at sign-out. */
    oidcIdToken: text(),
    ip: text(),
    userAgent: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/**
 * Consecutive failed sign-ins per email address, known or not, so that throttling and lockout
 * answer the same way for an address that has no account (no enumeration through 429/423).
 */
export const signInThrottles = pgTable('sign_in_throttles', {
  email: citext().primaryKey(),
  failures: integer().notNull().default(0),
  lockedUntil: timestamp({ withTimezone: true }),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Single-use emailed tokens: password reset and invitation. */
export const userTokens = pgTable(
  'user_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    purpose: text({ enum: ['password_reset', 'invitation'] }).notNull(),
    tokenHash: text().notNull().unique(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('user_tokens_user').on(t.userId)],
);

/** Pending OpenID Connect sign-ins (state, PKCE verifier, nonce), kept a few minutes. */
export const oidcLoginStates = pgTable('oidc_login_states', {
  state: text().primaryKey(),
  codeVerifier: text().notNull(),
  nonce: text().notNull(),
  returnTo: text().notNull().default('/'),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
});

/** Tokens of partner information systems, scoped to one organisation in one territory. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    territoryId: uuid()
      .notNull()
      .references(() => territories.id),
    organisationId: uuid()
      .notNull()
      .references(() => partnerOrganisations.id),
    name: text().notNull(),
    prefix: text().notNull(),
    tokenHash: text().notNull().unique(),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('api_tokens_territory').on(t.territoryId)],
);
