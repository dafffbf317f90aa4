import { desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { OutboxMailsView } from '../../../contracts/notifications.ts';
import type { AppContext } from '../../app-context.ts';
import type { Db } from '../../db/client.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, requireUser } from '../../platform/authorize.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import type { MailMessage } from '../../platform/mail.ts';
import { users } from '../accounts/accounts.schema.ts';
import { outboxMails } from '../requests/requests.schema.ts';
import { maskSecrets } from './emails.ts';

const LIMIT = 100;

/** The mailer's `keep` without SMTP: every email is stored for the outbox page. */
export function outboxKeeper(db: Db, clock: Clock) {
  return async (m: MailMessage) => {
    await db
      .insert(outboxMails)
      .values({ territoryId: m.territoryId ?? null, toAddress: m.to, subject: m.subject, body: m.text, createdAt: clock.now() });
  };
}

/**
 * The emails the signed-in person may read, newest first: those addressed to them; a
 * coordinator also those about their territories; a platform administrator every one. In others'
 * emails, single-use links are masked. Each reading is journaled (emails carry links).
 */
export async function listOutboxMails(ctx: AppContext, anyActor: Actor, audit: AuditContext): Promise<OutboxMailsView> {
  const actor = requireUser(anyActor);
  if (ctx.config.mail.smtpUrl)
    throw new AppError(
      'MAIL_OUTBOX_DISABLED',
      404,
      'Un serveur d’envoi de courriels (SMTP) est configuré : les courriels partent vraiment, il n’y a pas de boîte d’envoi à afficher.',
    );
  const [me] = await ctx.db.select({ email: users.email }).from(users).where(eq(users.id, actor.userId));
  const email = (me?.email ?? '').toLowerCase();
  const coordinated = actor.memberships.filter((m) => m.role === 'coordinator').map((m) => m.territoryId);
  const mine = sql`lower(${outboxMails.toAddress}) = ${email}`;
  const rows = await ctx.db
    .select()
    .from(outboxMails)
    .where(actor.isPlatformAdmin ? undefined : coordinated.length ? or(mine, inArray(outboxMails.territoryId, coordinated)) : mine)
    .orderBy(desc(outboxMails.createdAt), desc(outboxMails.id))
    .limit(LIMIT);
  await recordAudit(ctx.db, audit, {
    type: 'mail_outbox.read',
    targetType: 'outbox_mails',
    data: { count: rows.length, scope: actor.isPlatformAdmin ? 'all' : coordinated.length ? 'territories' : 'own' },
  });
  return {
    items: rows.map((r) => {
      const own = r.toAddress.toLowerCase() === email;
      return {
        id: r.id,
        createdAt: r.createdAt.toISOString(),
        to: r.toAddress,
        subject: r.subject,
        body: own ? r.body : maskSecrets(r.body),
        mine: own,
      };
    }),
  };
}
