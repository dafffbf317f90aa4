import { and, inArray, ne } from 'drizzle-orm';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { users } from '../accounts/accounts.schema.ts';
import { notifications } from '../requests/requests.schema.ts';
import { absoluteLink } from './emails.ts';

export interface NotifyInput {
  /** The territory the notification is about: its coordinators see the email in the outbox. */
  territoryId: string | null;
  userIds: string[];
  requestId?: string | null;
  /** A stable name of what happened, e.g. `request.received`, `request.reminder_75`. */
  kind: string;
  /** Short, French, no personal data beyond what every recipient may see (no person's name). */
  subject: string;
  /** One short French line; the email adds the link and the signature. */
  body: string;
  /** A path of the app (`/saisines/…`) or an address under PUBLIC_URL; stored absolute. */
  link: string;
  /** Not sent before this instant (default now); reminders pass `nextBusinessInstant(…)`. */
  notBefore?: Date;
}

/**
 * Tells people something, in the caller's transaction: one `notifications` row per distinct
 * user who is not deactivated. Nothing is sent here (pg-boss must not be called inside a
 * transaction: on PGlite the transaction holds the only connection); the `notifications.deliver`
 * job emails « immédiat » users within a minute of `notBefore`, `notifications.digest` groups the
 * others once a day. Returns the number of rows written.
 */
export async function notify(tx: Executor, ctx: AppContext, input: NotifyInput): Promise<number> {
  const ids = [...new Set(input.userIds)];
  if (!ids.length) return 0;
  const link = absoluteLink(ctx.config.publicUrl, input.link);
  const recipients = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, ids), ne(users.status, 'deactivated')));
  if (!recipients.length) return 0;
  const now = ctx.clock.now();
  await tx.insert(notifications).values(
    recipients.map((u) => ({
      territoryId: input.territoryId,
      userId: u.id,
      requestId: input.requestId ?? null,
      kind: input.kind,
      subject: input.subject,
      body: input.body,
      link,
      notBefore: input.notBefore ?? now,
      createdAt: now,
    })),
  );
  return recipients.length;
}
