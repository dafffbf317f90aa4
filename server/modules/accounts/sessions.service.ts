import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import type { Actor, Membership } from '../../platform/authorize.ts';
import { hashToken, newSecretToken } from '../../platform/crypto.ts';
import { apiTokens, memberships, sessions, users } from './accounts.schema.ts';

export const SESSION_COOKIE = 'relais_session';
const TOUCH_EVERY_MS = 60_000;

/** Opens a session for a user and returns the cookie value (only its hash is stored). */
export async function openSession(
  tx: Executor,
  input: {
    userId: string;
    method: 'password' | 'oidc';
    ip?: string;
    userAgent?: string;
    now: Date;
    ttlMs: number;
    oidcIdToken?: string;
  },
) {
  const { token, hash } = newSecretToken();
  const csrf = newSecretToken().token;
  const [session] = await tx
    .insert(sessions)
    .values({
      userId: input.userId,
      tokenHash: hash,
      csrfToken: csrf,
      method: input.method,
      oidcIdToken: input.oidcIdToken ?? null,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 300),
      createdAt: input.now,
      lastSeenAt: input.now,
      expiresAt: new Date(input.now.getTime() + input.ttlMs),
    })
    .returning({ id: sessions.id });
  await tx.update(users).set({ lastActiveAt: input.now }).where(eq(users.id, input.userId));
  return { token, sessionId: session!.id, userId: input.userId, csrfToken: csrf };
}

export async function loadMemberships(tx: Executor, userId: string): Promise<Membership[]> {
  return tx
    .select({
      id: memberships.id,
      territoryId: memberships.territoryId,
      role: memberships.role,
      contactPointId: memberships.contactPointId,
      organisationId: memberships.organisationId,
    })
    .from(memberships)
    .where(eq(memberships.userId, userId));
}

/** The actor behind a session cookie, or null when it is unknown, expired or revoked. */
export async function resolveSession(tx: Executor, token: string, now: Date) {
  const [row] = await tx
    .select({
      sessionId: sessions.id,
      csrfToken: sessions.csrfToken,
      lastSeenAt: sessions.lastSeenAt,
      userId: users.id,
      isPlatformAdmin: users.isPlatformAdmin,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(eq(sessions.tokenHash, hashToken(token)), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), eq(users.status, 'active')),
    );
  if (!row) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await tx.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.sessionId));
    await tx.update(users).set({ lastActiveAt: now }).where(eq(users.id, row.userId));
  }
  const actor: Actor = {
    kind: 'user',
    userId: row.userId,
    sessionId: row.sessionId,
    isPlatformAdmin: row.isPlatformAdmin,
    memberships: await loadMemberships(tx, row.userId),
  };
  return { actor, csrfToken: row.csrfToken };
}

/** The actor behind a partner API token; records its last use at most once a minute. */
export async function resolveApiToken(tx: Executor, token: string, now: Date): Promise<Actor | null> {
  const [row] = await tx
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)));
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await tx.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
  }
  return { kind: 'api_token', tokenId: row.id, territoryId: row.territoryId, organisationId: row.organisationId };
}
