import { randomUUID } from 'node:crypto';
import { and, arrayContains, eq } from 'drizzle-orm';
import type { WebhookEventType } from '../../../contracts/webhooks.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { webhookDeliveries, webhooks } from '../requests/requests.schema.ts';

export const DELIVER_JOB = 'webhooks.deliver';
export const SWEEP_JOB = 'webhooks.sweep';

export interface WebhookEventInput {
  territoryId: string;
  organisationId: string;
  type: WebhookEventType;
  /**
   * The event's `data`. NO PERSONAL DATA: only the request's id, reference and status, the
   * organisations' and contact points' ids, and timestamps. The partner's system fetches the rest
   * through the API with its token, where access is checked and journaled.
   */
  payload: Record<string, unknown>;
  /** When the event happened (the caller's clock); defaults to now. */
  occurredAt?: Date;
}

/** The JSON body sent to the partner, stored as is in `webhook_deliveries.payload`. */
export function webhookEnvelope(input: WebhookEventInput, id: string = randomUUID()) {
  return {
    id,
    type: input.type,
    createdAt: (input.occurredAt ?? new Date()).toISOString(),
    territoryId: input.territoryId,
    organisationId: input.organisationId,
    data: input.payload,
  };
}

/**
 * Records the event for every active webhook of the organisation subscribed to its type, in the
 * caller's transaction (the outbox): one `webhook_deliveries` row each, `en_attente`. Returns
 * their ids: pass them to queueWebhookDeliveries AFTER the commit (never queue from inside the
 * transaction: on PGlite the transaction holds the only connection that pg-boss would need).
 */
export async function emitWebhookEvent(tx: Executor, input: WebhookEventInput): Promise<string[]> {
  const targets = await tx
    .select({ id: webhooks.id })
    .from(webhooks)
    .where(
      and(
        eq(webhooks.territoryId, input.territoryId),
        eq(webhooks.organisationId, input.organisationId),
        eq(webhooks.active, true),
        arrayContains(webhooks.events, [input.type]),
      ),
    );
  if (!targets.length) return [];
  const envelope = webhookEnvelope(input);
  const rows = await tx
    .insert(webhookDeliveries)
    .values(
      targets.map((w) => ({
        webhookId: w.id,
        territoryId: input.territoryId,
        eventType: input.type,
        payload: envelope,
        ...(input.occurredAt ? { createdAt: input.occurredAt } : {}),
      })),
    )
    .returning({ id: webhookDeliveries.id });
  return rows.map((r) => r.id);
}

/**
 * Queues the deliveries after the transaction that recorded them has committed. Never throws:
 * a delivery that could not be queued is still `en_attente`, and `webhooks.sweep` (every minute)
 * queues it. With JOBS=false the deliveries run here, inline.
 */
export async function queueWebhookDeliveries(ctx: AppContext, ids: string[]): Promise<void> {
  for (const deliveryId of ids) {
    try {
      await ctx.jobs.send(DELIVER_JOB, { deliveryId, attempt: 0 });
    } catch {
      // left to the sweeper
    }
  }
}
