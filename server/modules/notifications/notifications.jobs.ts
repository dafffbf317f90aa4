import { and, asc, eq, inArray, isNull, lte, max, ne, sql } from 'drizzle-orm';
import type { AppContext } from '../../app-context.ts';
import { users } from '../accounts/accounts.schema.ts';
import { territories } from '../network/network.schema.ts';
import { notificationPreferences, notifications } from '../requests/requests.schema.ts';
import { digestEmail, notificationEmail } from './emails.ts';
import { DEFAULT_ZONE, isDigestDue, type Zone, zoneOf } from './schedule.ts';

const MINUTE = 60_000;
/** How long a claimed notification is hidden from other workers while its email is being sent. */
export const LEASE_MS = 10 * MINUTE;
const BATCH = 50;
const MAX_BATCHES_PER_RUN = 20;

export function registerNotificationJobs(ctx: AppContext) {
  ctx.jobs.register(
    'notifications.deliver',
    async () => {
      await deliverDueNotifications(ctx);
    },
    { cron: '* * * * *' },
  );
  // Hourly: each person's digest leaves at 08:00 in the time zone of their territory (isDigestDue).
  ctx.jobs.register(
    'notifications.digest',
    async () => {
      await sendDailyDigests(ctx);
    },
    { cron: '0 * * * *' },
  );
}

const mode = sql`coalesce(${notificationPreferences.mode}, 'immediat')`;
const pending = (now: Date) =>
  and(isNull(notifications.sentAt), isNull(notifications.digestedAt), lte(notifications.notBefore, now), ne(users.status, 'deactivated'));

/**
 * After a failed send, the next attempt waits half the notification's age (5 minutes to 6 hours):
 * a mail server down for a while is not hammered, and there is no failure counter in the table.
 */
function retryAt(now: Date, createdAt: Date): Date {
  const wait = Math.min(Math.max((now.getTime() - createdAt.getTime()) / 2, 5 * MINUTE), 360 * MINUTE);
  return new Date(now.getTime() + wait);
}

/**
 * Emails the due notifications of « immédiat » users, one email each.
 *
 * Delivery is at least once, without duplicates between workers: a batch is claimed with
 * `FOR UPDATE SKIP LOCKED` and leased in the same transaction (`not_before` pushed LEASE_MS
 * ahead, so no other worker picks it up after commit); emails are sent after the commit (the
 * database is not held during SMTP), and each success sets `sent_at`. A failed send moves
 * `not_before` to a later retry; a crash between claim and send leaves the lease to expire and the
 * next run sends it. Only a crash after the SMTP server accepted the email and before `sent_at`
 * was written can send it twice.
 */
export async function deliverDueNotifications(ctx: AppContext) {
  let sent = 0;
  let failed = 0;
  for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
    const now = ctx.clock.now();
    const claimed = await ctx.db.transaction(async (tx) => {
      const rows = await tx
        .select({
          id: notifications.id,
          territoryId: notifications.territoryId,
          subject: notifications.subject,
          body: notifications.body,
          link: notifications.link,
          createdAt: notifications.createdAt,
          email: users.email,
        })
        .from(notifications)
        .innerJoin(users, eq(users.id, notifications.userId))
        .leftJoin(notificationPreferences, eq(notificationPreferences.userId, notifications.userId))
        .where(and(pending(now), sql`${mode} = 'immediat'`))
        .orderBy(asc(notifications.notBefore))
        .limit(BATCH)
        .for('update', { of: notifications, skipLocked: true });
      if (rows.length)
        await tx
          .update(notifications)
          .set({ notBefore: new Date(now.getTime() + LEASE_MS) })
          .where(
            inArray(
              notifications.id,
              rows.map((r) => r.id),
            ),
          );
      return rows;
    });
    for (const n of claimed) {
      try {
        await ctx.mailer.send({ to: n.email, territoryId: n.territoryId, ...notificationEmail(n, ctx.config.publicUrl) });
        await ctx.db.update(notifications).set({ sentAt: ctx.clock.now() }).where(eq(notifications.id, n.id));
        sent++;
      } catch (error) {
        console.error('notification email failed, retried later:', error instanceof Error ? error.message : error);
        await ctx.db
          .update(notifications)
          .set({ notBefore: retryAt(ctx.clock.now(), n.createdAt) })
          .where(eq(notifications.id, n.id));
        failed++;
      }
    }
    if (claimed.length < BATCH) break;
  }
  return { sent, failed };
}

/**
 * One email per « quotidien » user with due notifications, listing them all, from 08:00 on the
 * working days of the zone of their territory (that of their oldest pending notification; Paris
 * when it has none). Claimed and leased like `deliverDueNotifications`; success sets `digested_at`.
 */
export async function sendDailyDigests(ctx: AppContext) {
  const now = ctx.clock.now();
  const candidates = await ctx.db
    .select({
      userId: notifications.userId,
      timezone: territories.timezone,
      departmentCode: territories.departmentCode,
    })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .innerJoin(notificationPreferences, eq(notificationPreferences.userId, notifications.userId))
    .leftJoin(territories, eq(territories.id, notifications.territoryId))
    .where(and(pending(now), eq(notificationPreferences.mode, 'quotidien')))
    .orderBy(asc(notifications.userId), asc(notifications.notBefore));
  const zones = new Map<string, Zone>();
  for (const c of candidates)
    if (!zones.has(c.userId))
      zones.set(
        c.userId,
        c.timezone && c.departmentCode ? zoneOf({ timezone: c.timezone, departmentCode: c.departmentCode }) : DEFAULT_ZONE,
      );
  if (!zones.size) return { digests: 0, failed: 0 };
  const last = await ctx.db
    .select({ userId: notifications.userId, at: max(notifications.digestedAt) })
    .from(notifications)
    .where(inArray(notifications.userId, [...zones.keys()]))
    .groupBy(notifications.userId);
  const lastDigest = new Map(last.map((l) => [l.userId, l.at]));

  let digests = 0;
  let failed = 0;
  for (const [userId, zone] of zones) {
    if (!isDigestDue(now, zone, lastDigest.get(userId) ?? null)) continue;
    const claimed = await ctx.db.transaction(async (tx) => {
      const rows = await tx
        .select({
          id: notifications.id,
          territoryId: notifications.territoryId,
          subject: notifications.subject,
          body: notifications.body,
          link: notifications.link,
          createdAt: notifications.createdAt,
          email: users.email,
        })
        .from(notifications)
        .innerJoin(users, eq(users.id, notifications.userId))
        .where(and(eq(notifications.userId, userId), pending(now)))
        .orderBy(asc(notifications.createdAt))
        .for('update', { of: notifications, skipLocked: true });
      if (rows.length)
        await tx
          .update(notifications)
          .set({ notBefore: new Date(now.getTime() + LEASE_MS) })
          .where(
            inArray(
              notifications.id,
              rows.map((r) => r.id),
            ),
          );
      return rows;
    });
    if (!claimed.length) continue;
    const ids = claimed.map((n) => n.id);
    const territoryIds = new Set(claimed.map((n) => n.territoryId));
    try {
      await ctx.mailer.send({
        to: claimed[0]!.email,
        territoryId: territoryIds.size === 1 ? claimed[0]!.territoryId : null,
        ...digestEmail(claimed, ctx.config.publicUrl),
      });
      await ctx.db.update(notifications).set({ digestedAt: ctx.clock.now() }).where(inArray(notifications.id, ids));
      digests++;
    } catch (error) {
      console.error('digest email failed, retried later:', error instanceof Error ? error.message : error);
      await ctx.db
        .update(notifications)
        .set({ notBefore: retryAt(ctx.clock.now(), claimed[0]!.createdAt) })
        .where(inArray(notifications.id, ids));
      failed++;
    }
  }
  return { digests, failed };
}
