import { and, desc, eq } from 'drizzle-orm';
import type { SmsOutboxView } from '../../../contracts/mandates.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, authorize, requireUser } from '../../platform/authorize.ts';
import { AppError } from '../../platform/errors.ts';
import { createSmsSender, maskPhone, SmsError } from '../../platform/sms.ts';
import { smsMessages } from './people.schema.ts';

interface Outgoing {
  territoryId: string;
  to: string;
  text: string;
  purpose: string;
  /** What to keep when a provider sends it (e.g. the code blanked out); the outbox keeps `text`. */
  keptText?: string;
  auditData?: Record<string, unknown>;
}

/**
 * Keeps the message (number sealed) and what goes with it in one transaction, then hands it to the
 * provider outside of it (the database is not held during the HTTP call). Without a provider the
 * message stays in the outbox. A provider failure is stored on the message, `onFailure` undoes
 * what depended on it, and the caller gets 502 SMS_PROVIDER_FAILED.
 */
export async function sendSms(
  ctx: AppContext,
  m: Outgoing,
  audit: AuditContext,
  withMessage: (tx: Executor, smsMessageId: string) => Promise<void>,
  onFailure: (tx: Executor) => Promise<void>,
) {
  const sender = createSmsSender(ctx.config);
  const now = ctx.clock.now();
  const smsMessageId = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(smsMessages)
      .values({
        territoryId: m.territoryId,
        toSealed: ctx.secretBox.seal(m.to),
        body: sender.mode === 'provider' ? (m.keptText ?? m.text) : m.text,
        purpose: m.purpose,
        createdAt: now,
      })
      .returning({ id: smsMessages.id });
    await withMessage(tx, row!.id);
    await recordAudit(tx, audit, {
      type: 'sms.sent',
      territoryId: m.territoryId,
      targetType: 'sms_message',
      targetId: row!.id,
      data: { purpose: m.purpose, mode: sender.mode, to: maskPhone(m.to), ...m.auditData },
    });
    return row!.id;
  });
  if (sender.mode === 'outbox') return smsMessageId;
  try {
    const { providerId } = await sender.send(m.to, m.text);
    await ctx.db.update(smsMessages).set({ delivered: true, providerId }).where(eq(smsMessages.id, smsMessageId));
    return smsMessageId;
  } catch (error) {
    const reason = error instanceof SmsError ? error.message : 'erreur inattendue';
    await ctx.db.transaction(async (tx) => {
      await tx.update(smsMessages).set({ error: reason }).where(eq(smsMessages.id, smsMessageId));
      await onFailure(tx);
      await recordAudit(tx, audit, {
        type: 'sms.failed',
        territoryId: m.territoryId,
        targetType: 'sms_message',
        targetId: smsMessageId,
        data: { purpose: m.purpose, error: reason },
      });
    });
    throw new AppError(
      'SMS_PROVIDER_FAILED',
      502,
      `Le SMS n’a pas pu être envoyé (le prestataire d’envoi a répondu : ${reason}). Réessayez, ou choisissez un autre mode de consentement.`,
    );
  }
}

/** What would have been sent (no provider configured), newest first, numbers masked. */
export async function smsOutbox(ctx: AppContext, anyActor: Actor, territoryId: string): Promise<SmsOutboxView> {
  const actor = requireUser(anyActor);
  authorize(actor, 'sms.outbox', { territoryId });
  if (ctx.config.sms.provider)
    throw new AppError(
      'SMS_OUTBOX_UNAVAILABLE',
      404,
      'Un prestataire d’envoi de SMS est configuré : il n’y a pas de boîte d’envoi à afficher.',
    );
  const rows = await ctx.db
    .select()
    .from(smsMessages)
    .where(and(eq(smsMessages.territoryId, territoryId)))
    .orderBy(desc(smsMessages.createdAt), desc(smsMessages.id))
    .limit(50);
  return {
    items: rows.map((r) => ({
      id: r.id,
      createdAt: r.createdAt.toISOString(),
      to: maskPhone(ctx.secretBox.open(r.toSealed)),
      body: r.body,
      purpose: r.purpose,
      error: r.error,
    })),
  };
}
