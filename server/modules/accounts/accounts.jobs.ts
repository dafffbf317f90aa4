import { and, eq, gte, isNotNull, isNull, lt, lte, not, sql } from 'drizzle-orm';
import type { AppContext } from '../../app-context.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { MailMessage } from '../../platform/mail.ts';
import { memberships, sessions, users } from './accounts.schema.ts';

export const WARNING_DAYS_BEFORE = 15;
const DAY = 86_400_000;

export function registerAccountJobs(ctx: AppContext) {
  ctx.jobs.register('mail.send', async (data) => ctx.mailer.send(data as MailMessage));
  ctx.jobs.register(
    'accounts.deactivate-inactive',
    async () => {
      await deactivateInactiveAccounts(ctx);
    },
    { cron: '15 3 * * *' },
  );
}

/**
 * Accounts unused for INACTIVITY_DEACTIVATION_DAYS (6 months) are deactivated and their sessions
 * closed. Each person is warned by email WARNING_DAYS_BEFORE days earlier, and never deactivated
 * without that warning: an account found already past the limit is warned first and deactivated
 * WARNING_DAYS_BEFORE days later. A warning counts only for the idle period it was sent in, so a
 * person who came back is warned again next time. Platform administrators are left alone.
 * Returns what it did, for the CLI and tests.
 */
export async function deactivateInactiveAccounts(ctx: AppContext) {
  const now = ctx.clock.now();
  const limit = new Date(now.getTime() - ctx.config.inactivityDeactivationDays * DAY);
  const warnFrom = new Date(limit.getTime() + WARNING_DAYS_BEFORE * DAY);
  const warnedBefore = new Date(now.getTime() - WARNING_DAYS_BEFORE * DAY);
  const lastSeen = sql`coalesce(${users.lastActiveAt}, ${users.createdAt})`;
  const warnedForThisIdlePeriod = and(isNotNull(users.inactivityWarnedAt), gte(users.inactivityWarnedAt, lastSeen));
  const toWarn = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.status, 'active'), eq(users.isPlatformAdmin, false), lt(lastSeen, warnFrom), not(warnedForThisIdlePeriod!)));
  for (const user of toWarn) {
    await ctx.db.transaction(async (tx) => {
      await tx.update(users).set({ inactivityWarnedAt: now }).where(eq(users.id, user.id));
      await recordAudit(tx, {}, { type: 'user.inactivity_warned', targetType: 'user', targetId: user.id });
    });
    await ctx.jobs.send('mail.send', {
      to: user.email,
      subject: 'Relais : votre compte sera désactivé dans 15 jours',
      text: `Bonjour ${user.displayName},\n\nVous ne vous êtes pas connecté(e) à Relais depuis près de 6 mois. Sans connexion de votre part, votre compte sera désactivé dans ${WARNING_DAYS_BEFORE} jours, comme le prévoit notre politique de sécurité.\nPour le garder, connectez-vous simplement : ${ctx.config.publicUrl}/connexion\n\nRelais`,
    });
  }
  const toDeactivate = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.status, 'active'),
        eq(users.isPlatformAdmin, false),
        lt(lastSeen, limit),
        warnedForThisIdlePeriod,
        lte(users.inactivityWarnedAt, warnedBefore),
      ),
    );
  for (const { id } of toDeactivate) {
    await ctx.db.transaction(async (tx) => {
      await tx.update(users).set({ status: 'deactivated', deactivatedAt: now }).where(eq(users.id, id));
      await tx
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(eq(sessions.userId, id), isNull(sessions.revokedAt)));
      const territories = await tx.selectDistinct({ id: memberships.territoryId }).from(memberships).where(eq(memberships.userId, id));
      for (const t of territories.length ? territories : [{ id: null }]) {
        await recordAudit(
          tx,
          {},
          {
            type: 'user.deactivated_inactive',
            territoryId: t.id,
            targetType: 'user',
            targetId: id,
            data: { days: ctx.config.inactivityDeactivationDays },
          },
        );
      }
    });
  }
  return { warned: toWarn.length, deactivated: toDeactivate.length };
}
