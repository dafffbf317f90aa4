import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { AppError } from '../../platform/errors.ts';
import { webhookDeliveries, webhooks } from '../requests/requests.schema.ts';
import { type PostResult, postWebhook, signatureHeader } from './http-post.ts';
import { DELIVER_JOB } from './outbox.ts';
import { resolveWebhookTarget } from './target.ts';

const DeliverJob = z.object({ deliveryId: z.uuid(), attempt: z.number().int().min(0).optional() });

/** Seconds to wait after the n-th failed attempt (n ≥ 1); the last configured delay repeats. */
export function retryDelaySeconds(delays: number[], failedAttempts: number): number {
  return delays[Math.min(failedAttempts, delays.length) - 1] ?? 0;
}

/**
 * Makes one attempt of a delivery (the `webhooks.deliver` job, `{ deliveryId, attempt }`).
 * The attempt is claimed first by a conditional UPDATE of `attempts` (from `attempt` to
 * `attempt + 1`): a job queued twice for the same attempt — by the caller and by the sweeper —
 * sends once. No transaction is held during the HTTP call. On failure the next attempt is queued
 * with the backoff delay; after the last one the delivery is `echec`.
 */
export async function deliverWebhook(ctx: AppContext, data: unknown): Promise<void> {
  const job = DeliverJob.parse(data);
  const [row] = await ctx.db
    .select({ delivery: webhookDeliveries, webhook: webhooks })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(eq(webhookDeliveries.id, job.deliveryId));
  if (row?.delivery.status !== 'en_attente') return;
  const { delivery, webhook } = row;
  const attempt = job.attempt ?? delivery.attempts;
  if (delivery.attempts !== attempt) return; // that attempt was made already
  const settings = ctx.config.webhooks;
  if (!webhook.active || attempt >= settings.maxAttempts) {
    await ctx.db
      .update(webhookDeliveries)
      .set({
        status: 'echec',
        lastError: webhook.active ? 'Dernier essai interrompu' : 'Webhook désactivé : envoi abandonné',
      })
      .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.status, 'en_attente')));
    return;
  }
  const [claimed] = await ctx.db
    .update(webhookDeliveries)
    .set({ attempts: sql`${webhookDeliveries.attempts} + 1` })
    .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.status, 'en_attente'), eq(webhookDeliveries.attempts, attempt)))
    .returning({ attempts: webhookDeliveries.attempts });
  if (!claimed) return;

  const result = await attemptDelivery(ctx, webhook, delivery);
  if (result.status !== null && result.status >= 200 && result.status < 300) {
    await ctx.db
      .update(webhookDeliveries)
      .set({ status: 'livre', deliveredAt: ctx.clock.now(), lastStatusCode: result.status, lastError: null })
      .where(eq(webhookDeliveries.id, delivery.id));
    return;
  }
  const last = claimed.attempts >= settings.maxAttempts;
  await ctx.db
    .update(webhookDeliveries)
    .set({ status: last ? 'echec' : 'en_attente', lastStatusCode: result.status, lastError: result.error })
    .where(eq(webhookDeliveries.id, delivery.id));
  if (last) return;
  try {
    await ctx.jobs.send(
      DELIVER_JOB,
      { deliveryId: delivery.id, attempt: claimed.attempts },
      { startAfterSeconds: retryDelaySeconds(settings.retryDelaysSeconds, claimed.attempts) },
    );
  } catch {
    // the sweeper queues it when it is due
  }
}

async function attemptDelivery(
  ctx: AppContext,
  webhook: typeof webhooks.$inferSelect,
  delivery: typeof webhookDeliveries.$inferSelect,
): Promise<PostResult> {
  try {
    // Checked again at each delivery: the name may point elsewhere since the webhook was created.
    const target = await resolveWebhookTarget(webhook.url, ctx.config.webhooks.allowPrivate);
    const body = JSON.stringify(delivery.payload);
    const timestamp = Math.floor(ctx.clock.now().getTime() / 1000);
    const secret = ctx.secretBox.open(webhook.secretSealed);
    return await postWebhook(
      target,
      body,
      {
        'content-type': 'application/json',
        'x-relais-event': delivery.eventType,
        'x-relais-delivery': delivery.id,
        'x-relais-signature': signatureHeader(secret, timestamp, body),
      },
      ctx.config.webhooks.timeoutMs,
    );
  } catch (error) {
    return { status: null, error: error instanceof AppError ? error.message : 'Erreur interne avant l’envoi' };
  }
}

const SWEEP_GRACE_SECONDS = 60;
const SWEEP_BATCH = 500;

/**
 * The `webhooks.sweep` job (every minute): queues the pending deliveries whose next attempt is
 * overdue — a job lost between a commit and its queueing (crash), or an attempt cut short. An
 * attempt n is due at created_at + the delays before it + n timeouts + a minute's grace.
 */
export async function sweepWebhookDeliveries(ctx: AppContext): Promise<number> {
  const { retryDelaysSeconds, maxAttempts, timeoutMs } = ctx.config.webhooks;
  const offsets: number[] = [];
  for (let n = 0, total = SWEEP_GRACE_SECONDS; n <= maxAttempts; n++) {
    if (n > 0) total += retryDelaySeconds(retryDelaysSeconds, n) + Math.ceil(timeoutMs / 1000);
    offsets.push(total);
  }
  const offsetsSql = sql.raw(`ARRAY[${offsets.join(',')}]::int[]`);
  const last = offsets[offsets.length - 1]!;
  const due = await ctx.db
    .select({ id: webhookDeliveries.id, attempts: webhookDeliveries.attempts })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, 'en_attente'),
        sql`${webhookDeliveries.createdAt} + make_interval(secs => coalesce((${offsetsSql})[${webhookDeliveries.attempts} + 1], ${last})) <= ${ctx.clock.now()}`,
      ),
    )
    .orderBy(webhookDeliveries.createdAt)
    .limit(SWEEP_BATCH);
  for (const d of due) {
    try {
      await ctx.jobs.send(DELIVER_JOB, { deliveryId: d.id, attempt: d.attempts });
    } catch {
      // next sweep
    }
  }
  return due.length;
}
