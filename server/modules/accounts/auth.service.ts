import { and, eq, gt, isNull, lt, ne, sql } from 'drizzle-orm';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { hashPassword, hashToken, newSecretToken, verifyPassword } from '../../platform/crypto.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { memberships, sessions, signInThrottles, users, userTokens } from './accounts.schema.ts';
import { openSession } from './sessions.service.ts';

/** Consecutive failures before throttling, then before a lockout. */
export const THROTTLE_AFTER = 3;
export const LOCK_AFTER = 5;
export const LOCK_MINUTES = 15;
const THROTTLE_SECONDS = [5, 30];
const RESET_TOKEN_TTL_MS = 3600_000;
export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

// Computed once so that an unknown email costs the same time as a wrong password.
const dummyHash = hashPassword('relais-timing-equaliser');

interface RequestInfo {
  ip?: string;
  userAgent?: string;
  audit: AuditContext;
}

const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 401, 'Adresse e-mail ou mot de passe incorrect.');

/** Checks a password sign-in, with throttling then a temporary lockout after repeated failures. */
export async function signInWithPassword(ctx: AppContext, input: { email: string; password: string }, info: RequestInfo) {
  const now = ctx.clock.now();
  await refuseWhileThrottled(ctx, input.email, now);
  const [user] = await ctx.db.select().from(users).where(eq(users.email, input.email));
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash));
  if (!user?.passwordHash || !ok) {
    await registerFailure(ctx, input.email, user?.passwordHash ? user.id : null, info.audit);
    throw invalidCredentials();
  }
  if (user.status !== 'active') throw deactivatedError();
  return ctx.db.transaction(async (tx) => {
    await tx.delete(signInThrottles).where(eq(signInThrottles.email, input.email));
    const session = await openSession(tx, {
      userId: user.id,
      method: 'password',
      ip: info.ip,
      userAgent: info.userAgent,
      now,
      ttlMs: ctx.config.sessionTtlMs,
    });
    await recordAudit(
      tx,
      { ...info.audit, actorUserId: user.id },
      { type: 'auth.sign_in', targetType: 'user', targetId: user.id, data: { method: 'password' } },
    );
    return session;
  });
}

export const deactivatedError = () =>
  new AppError(
    'ACCOUNT_DEACTIVATED',
    403,
    'Votre compte est désactivé (plus de 6 mois sans connexion ou à la demande de votre coordination). Demandez sa réactivation à votre coordinateur.',
  );

async function refuseWhileThrottled(ctx: AppContext, email: string, now: Date) {
  const [throttle] = await ctx.db.select().from(signInThrottles).where(eq(signInThrottles.email, email));
  if (!throttle?.lockedUntil || throttle.lockedUntil <= now) return;
  const seconds = Math.ceil((throttle.lockedUntil.getTime() - now.getTime()) / 1000);
  if (throttle.failures >= LOCK_AFTER) {
    throw new AppError(
      'ACCOUNT_LOCKED',
      423,
      `Compte verrouillé après ${LOCK_AFTER} tentatives échouées. Réessayez dans ${Math.ceil(seconds / 60)} minute(s) ou réinitialisez votre mot de passe.`,
    );
  }
  throw new AppError('SIGN_IN_THROTTLED', 429, `Trop de tentatives : réessayez dans ${seconds} seconde(s).`);
}

/** Counts a failure for the address (whether it has an account or not) and journals it. */
async function registerFailure(ctx: AppContext, email: string, userId: string | null, audit: AuditContext) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    // Counters of addresses nobody has tried for a day are forgotten.
    await tx.delete(signInThrottles).where(lt(signInThrottles.updatedAt, new Date(now.getTime() - 86_400_000)));
    const [row] = await tx
      .insert(signInThrottles)
      .values({ email, failures: 1, updatedAt: now })
      .onConflictDoUpdate({ target: signInThrottles.email, set: { failures: sql`${signInThrottles.failures} + 1`, updatedAt: now } })
      .returning({ failures: signInThrottles.failures });
    const failures = row!.failures;
    const lockMs =
      failures >= LOCK_AFTER
        ? LOCK_MINUTES * 60_000
        : failures >= THROTTLE_AFTER
          ? (THROTTLE_SECONDS[failures - THROTTLE_AFTER] ?? 30) * 1000
          : 0;
    if (lockMs)
      await tx
        .update(signInThrottles)
        .set({ lockedUntil: new Date(now.getTime() + lockMs) })
        .where(eq(signInThrottles.email, email));
    const target = userId ? { targetType: 'user', targetId: userId } : {};
    await recordAudit(tx, audit, {
      type: 'auth.sign_in_failed',
      ...target,
      data: userId ? { failures } : { email, failures, reason: 'unknown_email' },
    });
    if (failures === LOCK_AFTER) {
      await recordAudit(tx, audit, {
        type: 'auth.locked_out',
        ...target,
        data: userId ? { minutes: LOCK_MINUTES } : { email, minutes: LOCK_MINUTES },
      });
    }
  });
}

/** Always answers the same way, whether the email is known or not, to avoid account enumeration. */
export async function requestPasswordReset(ctx: AppContext, email: string, audit: AuditContext) {
  const now = ctx.clock.now();
  const [user] = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.email, email), eq(users.status, 'active')));
  if (!user) return;
  const { token, hash } = newSecretToken();
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(userTokens)
      .values({ userId: user.id, purpose: 'password_reset', tokenHash: hash, expiresAt: new Date(now.getTime() + RESET_TOKEN_TTL_MS) });
    await recordAudit(tx, audit, { type: 'auth.password_reset_requested', targetType: 'user', targetId: user.id });
  });
  await ctx.jobs.send('mail.send', {
    to: user.email,
    subject: 'Relais : réinitialisation de votre mot de passe',
    text: `Bonjour ${user.displayName},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable une heure, une seule fois) :\n${ctx.config.publicUrl}/reinitialiser-mot-de-passe?jeton=${token}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.\n\nRelais`,
  });
}

/** Consumes a single-use emailed token; the same error whether it is unknown, used or expired. */
export async function consumeUserToken(tx: Executor, token: string, purpose: 'password_reset' | 'invitation', now: Date) {
  const [row] = await tx
    .update(userTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(userTokens.tokenHash, hashToken(token)),
        eq(userTokens.purpose, purpose),
        isNull(userTokens.usedAt),
        gt(userTokens.expiresAt, now),
      ),
    )
    .returning({ userId: userTokens.userId });
  if (!row) {
    throw invalid('TOKEN_INVALID', 'Ce lien est invalide, déjà utilisé ou expiré. Demandez-en un nouveau.');
  }
  return row.userId;
}

export async function findValidUserToken(ctx: AppContext, token: string, purpose: 'password_reset' | 'invitation') {
  const [row] = await ctx.db
    .select({ email: users.email, displayName: users.displayName })
    .from(userTokens)
    .innerJoin(users, eq(users.id, userTokens.userId))
    .where(
      and(
        eq(userTokens.tokenHash, hashToken(token)),
        eq(userTokens.purpose, purpose),
        isNull(userTokens.usedAt),
        gt(userTokens.expiresAt, ctx.clock.now()),
      ),
    );
  if (!row) throw invalid('TOKEN_INVALID', 'Ce lien est invalide, déjà utilisé ou expiré. Demandez-en un nouveau.');
  return row;
}

/** Once the password has changed, the other reset links still in a mailbox must not work. */
async function invalidateResetLinks(tx: Executor, userId: string, now: Date) {
  await tx
    .update(userTokens)
    .set({ usedAt: now })
    .where(and(eq(userTokens.userId, userId), eq(userTokens.purpose, 'password_reset'), isNull(userTokens.usedAt)));
}

/** Sets a new password from a reset link, unlocks the account and signs out every session. */
export async function resetPassword(ctx: AppContext, input: { token: string; password: string }, audit: AuditContext) {
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const userId = await consumeUserToken(tx, input.token, 'password_reset', now);
    const [updated] = await tx.update(users).set({ passwordHash }).where(eq(users.id, userId)).returning({ email: users.email });
    await tx.delete(signInThrottles).where(eq(signInThrottles.email, updated!.email));
    await invalidateResetLinks(tx, userId, now);
    await tx
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
    await recordAudit(tx, { ...audit, actorUserId: userId }, { type: 'auth.password_reset', targetType: 'user', targetId: userId });
  });
}

/** Activates an invited account with its first password and opens a session. */
export async function acceptInvitation(
  ctx: AppContext,
  input: { token: string; password: string; displayName?: string },
  info: RequestInfo,
) {
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const userId = await consumeUserToken(tx, input.token, 'invitation', now);
    await tx
      .update(users)
      .set({ passwordHash, status: 'active', ...(input.displayName ? { displayName: input.displayName } : {}) })
      .where(eq(users.id, userId));
    const territories = await tx.selectDistinct({ id: memberships.territoryId }).from(memberships).where(eq(memberships.userId, userId));
    for (const t of territories) {
      await recordAudit(
        tx,
        { ...info.audit, actorUserId: userId },
        { type: 'user.invitation_accepted', territoryId: t.id, targetType: 'user', targetId: userId },
      );
    }
    return openSession(tx, { userId, method: 'password', ip: info.ip, userAgent: info.userAgent, now, ttlMs: ctx.config.sessionTtlMs });
  });
}

/** Changes the password after checking the current one; other sessions are signed out. */
export async function changePassword(
  ctx: AppContext,
  input: { userId: string; sessionId: string; currentPassword: string; newPassword: string },
  audit: AuditContext,
) {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, input.userId));
  if (!user?.passwordHash || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw invalid('CURRENT_PASSWORD_WRONG', 'Le mot de passe actuel est incorrect.', [
      { path: 'body.currentPassword', message: 'mot de passe incorrect' },
    ]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, input.userId));
    await invalidateResetLinks(tx, input.userId, now);
    await tx
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, input.userId), ne(sessions.id, input.sessionId), isNull(sessions.revokedAt)));
    await recordAudit(tx, audit, { type: 'auth.password_changed', targetType: 'user', targetId: input.userId });
  });
}
