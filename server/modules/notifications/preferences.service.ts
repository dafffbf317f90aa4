import { eq } from 'drizzle-orm';
import type { NotificationMode, NotificationPreferences } from '../../../contracts/notifications.ts';
import type { AppContext } from '../../app-context.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, requireUser } from '../../platform/authorize.ts';
import { notificationPreferences } from '../requests/requests.schema.ts';

/** The signed-in person's choice: « immédiat » until they pick the daily digest. */
export async function getNotificationPreferences(ctx: AppContext, anyActor: Actor): Promise<NotificationPreferences> {
  const actor = requireUser(anyActor);
  const [row] = await ctx.db
    .select({ mode: notificationPreferences.mode })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, actor.userId));
  return { mode: row?.mode ?? 'immediat' };
}

/** Sets how the signed-in person is told: an email each time, or one digest a day. */
export async function setNotificationPreferences(
  ctx: AppContext,
  anyActor: Actor,
  mode: NotificationMode,
  audit: AuditContext,
): Promise<NotificationPreferences> {
  const actor = requireUser(anyActor);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ mode: notificationPreferences.mode })
      .from(notificationPreferences)
      .where(eq(notificationPreferences.userId, actor.userId));
    await tx
      .insert(notificationPreferences)
      .values({ userId: actor.userId, mode, updatedAt: now })
      .onConflictDoUpdate({ target: notificationPreferences.userId, set: { mode, updatedAt: now } });
    await recordAudit(tx, audit, {
      type: 'user.notification_mode_changed',
      targetType: 'user',
      targetId: actor.userId,
      data: { before: before?.mode ?? 'immediat', after: mode },
    });
  });
  return { mode };
}
