import { randomBytes } from 'node:crypto';
import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  CreateWebhookBody,
  UpdateWebhookBody,
  WebhookDeliveriesQuery,
  WebhookDeliveryList,
  WebhookDeliveryView,
  WebhookView,
  WebhookWithSecret,
} from '../../../contracts/webhooks.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { type AuditContext, recordAudit, valuesBefore } from '../../platform/audit.ts';
import { type Actor, authorize } from '../../platform/authorize.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { partnerOrganisations } from '../network/network.schema.ts';
import { webhookDeliveries, webhooks } from '../requests/requests.schema.ts';
import { queueWebhookDeliveries, webhookEnvelope } from './outbox.ts';
import { resolveWebhookTarget } from './target.ts';

type Webhook = typeof webhooks.$inferSelect;
type Delivery = typeof webhookDeliveries.$inferSelect;
interface Place {
  territoryId: string;
  organisationId: string;
}

const present = (w: Webhook): z.infer<typeof WebhookView> => ({
  id: w.id,
  territoryId: w.territoryId,
  organisationId: w.organisationId,
  url: w.url,
  events: w.events,
  active: w.active,
  createdAt: w.createdAt.toISOString(),
});
const presentDelivery = (d: Delivery): z.infer<typeof WebhookDeliveryView> => ({
  id: d.id,
  webhookId: d.webhookId,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  deliveredAt: d.deliveredAt?.toISOString() ?? null,
  createdAt: d.createdAt.toISOString(),
});

/** A signing secret: 32 random bytes; the whole string (prefix included) is the HMAC key. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** Authorizes, then checks that the organisation is one of the territory's partners. */
async function organisationOf(ctx: AppContext, actor: Actor, place: Place) {
  authorize(actor, 'webhooks.manage', place);
  const [org] = await ctx.db
    .select({ id: partnerOrganisations.id })
    .from(partnerOrganisations)
    .where(and(eq(partnerOrganisations.id, place.organisationId), eq(partnerOrganisations.territoryId, place.territoryId)));
  if (!org) throw notFound('Ce partenaire');
}

async function webhookOf(db: Executor, place: Place, webhookId: string): Promise<Webhook> {
  const [row] = await db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.id, webhookId), eq(webhooks.territoryId, place.territoryId), eq(webhooks.organisationId, place.organisationId)));
  if (!row) throw notFound('Ce webhook');
  return row;
}

/** The organisation's webhooks, newest first. */
export async function listWebhooks(ctx: AppContext, actor: Actor, place: Place): Promise<z.infer<typeof WebhookView>[]> {
  await organisationOf(ctx, actor, place);
  const rows = await ctx.db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.territoryId, place.territoryId), eq(webhooks.organisationId, place.organisationId)))
    .orderBy(desc(webhooks.createdAt), desc(webhooks.id));
  return rows.map(present);
}

/** Registers an endpoint (address checked and resolved first); its signing secret is returned this once, and kept sealed. */
export async function createWebhook(
  ctx: AppContext,
  actor: Actor,
  place: Place,
  body: z.infer<typeof CreateWebhookBody>,
  audit: AuditContext,
): Promise<z.infer<typeof WebhookWithSecret>> {
  await organisationOf(ctx, actor, place);
  await resolveWebhookTarget(body.url, ctx.config.webhooks.allowPrivate);
  const secret = newSecret();
  const row = await ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(webhooks)
      .values({
        ...place,
        url: body.url,
        events: body.events,
        secretSealed: ctx.secretBox.seal(secret),
        createdBy: actor.kind === 'user' ? actor.userId : null,
        createdAt: ctx.clock.now(),
      })
      .returning();
    await recordAudit(tx, audit, {
      type: 'webhook.created',
      territoryId: place.territoryId,
      targetType: 'webhook',
      targetId: created!.id,
      data: { organisationId: place.organisationId, url: body.url, events: body.events },
    });
    return created!;
  });
  return { ...present(row), secret };
}

/** Changes the address (checked again), the events or the active flag. */
export async function updateWebhook(
  ctx: AppContext,
  actor: Actor,
  place: Place,
  webhookId: string,
  body: z.infer<typeof UpdateWebhookBody>,
  audit: AuditContext,
): Promise<z.infer<typeof WebhookView>> {
  await organisationOf(ctx, actor, place);
  await webhookOf(ctx.db, place, webhookId);
  if (body.url !== undefined) await resolveWebhookTarget(body.url, ctx.config.webhooks.allowPrivate);
  const changes = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as Partial<Webhook>;
  const row = await ctx.db.transaction(async (tx) => {
    const before = await webhookOf(tx, place, webhookId);
    const [updated] = await tx.update(webhooks).set(changes).where(eq(webhooks.id, webhookId)).returning();
    await recordAudit(tx, audit, {
      type: 'webhook.updated',
      territoryId: place.territoryId,
      targetType: 'webhook',
      targetId: webhookId,
      data: { before: valuesBefore(before, changes), after: changes },
    });
    return updated!;
  });
  return present(row);
}

/** Removes the endpoint and its delivery log (the journal keeps the removal). */
export async function deleteWebhook(ctx: AppContext, actor: Actor, place: Place, webhookId: string, audit: AuditContext): Promise<void> {
  await organisationOf(ctx, actor, place);
  await ctx.db.transaction(async (tx) => {
    const row = await webhookOf(tx, place, webhookId);
    await tx.delete(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId));
    await tx.delete(webhooks).where(eq(webhooks.id, webhookId));
    await recordAudit(tx, audit, {
      type: 'webhook.deleted',
      territoryId: place.territoryId,
      targetType: 'webhook',
      targetId: webhookId,
      data: { organisationId: place.organisationId, url: row.url },
    });
  });
}

/** A new signing secret, returned this once; the old one stops signing at once. */
export async function rotateWebhookSecret(
  ctx: AppContext,
  actor: Actor,
  place: Place,
  webhookId: string,
  audit: AuditContext,
): Promise<z.infer<typeof WebhookWithSecret>> {
  await organisationOf(ctx, actor, place);
  const secret = newSecret();
  const row = await ctx.db.transaction(async (tx) => {
    await webhookOf(tx, place, webhookId);
    const [updated] = await tx
      .update(webhooks)
      .set({ secretSealed: ctx.secretBox.seal(secret) })
      .where(eq(webhooks.id, webhookId))
      .returning();
    await recordAudit(tx, audit, {
      type: 'webhook.secret_rotated',
      territoryId: place.territoryId,
      targetType: 'webhook',
      targetId: webhookId,
    });
    return updated!;
  });
  return { ...present(row), secret };
}

/** The delivery log of one webhook, newest first, by pages (`before` = the last id of the previous page). */
export async function listDeliveries(
  ctx: AppContext,
  actor: Actor,
  place: Place,
  webhookId: string,
  query: z.infer<typeof WebhookDeliveriesQuery>,
): Promise<z.infer<typeof WebhookDeliveryList>> {
  await organisationOf(ctx, actor, place);
  await webhookOf(ctx.db, place, webhookId);
  let after: ReturnType<typeof or> | undefined;
  if (query.before) {
    const [cursor] = await ctx.db
      .select({ createdAt: webhookDeliveries.createdAt, id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, query.before), eq(webhookDeliveries.webhookId, webhookId)));
    if (!cursor) throw notFound('Cet envoi');
    after = or(
      lt(webhookDeliveries.createdAt, cursor.createdAt),
      and(eq(webhookDeliveries.createdAt, cursor.createdAt), lt(webhookDeliveries.id, cursor.id)),
    );
  }
  const rows = await ctx.db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.webhookId, webhookId), after))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit).map(presentDelivery);
  return { items, nextBefore: rows.length > query.limit ? items[items.length - 1]!.id : null };
}

async function sendNew(
  ctx: AppContext,
  place: Place,
  webhook: Webhook,
  audit: AuditContext,
  make: () => { eventType: string; payload: Record<string, unknown> },
  auditType: 'webhook.redelivered' | 'webhook.pinged',
  auditData: Record<string, unknown>,
) {
  if (!webhook.active) throw conflict('WEBHOOK_INACTIVE', 'Ce webhook est désactivé : réactivez-le avant de lui envoyer un événement.');
  const delivery = await ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(webhookDeliveries)
      .values({ webhookId: webhook.id, territoryId: place.territoryId, ...make(), createdAt: ctx.clock.now() })
      .returning();
    await recordAudit(tx, audit, {
      type: auditType,
      territoryId: place.territoryId,
      targetType: 'webhook',
      targetId: webhook.id,
      data: { deliveryId: created!.id, ...auditData },
    });
    return created!;
  });
  await queueWebhookDeliveries(ctx, [delivery.id]);
  const [after] = await ctx.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, delivery.id));
  return presentDelivery(after ?? delivery);
}

/** Sends an event again as a new delivery (same event `id`, new delivery id), whatever the first one became. */
export async function redeliver(
  ctx: AppContext,
  actor: Actor,
  place: Place,
  webhookId: string,
  deliveryId: string,
  audit: AuditContext,
): Promise<z.infer<typeof WebhookDeliveryView>> {
  await organisationOf(ctx, actor, place);
  const webhook = await webhookOf(ctx.db, place, webhookId);
  const [original] = await ctx.db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, webhookId)));
  if (!original) throw notFound('Cet envoi');
  return sendNew(ctx, place, webhook, audit, () => ({ eventType: original.eventType, payload: original.payload }), 'webhook.redelivered', {
    originalDeliveryId: original.id,
  });
}

/** Sends a `ping` event to this webhook now, to test the endpoint and its signature check. */
export async function pingWebhook(
  ctx: AppContext,
  actor: Actor,
  place: Place,
  webhookId: string,
  audit: AuditContext,
): Promise<z.infer<typeof WebhookDeliveryView>> {
  await organisationOf(ctx, actor, place);
  const webhook = await webhookOf(ctx.db, place, webhookId);
  const payload = webhookEnvelope({ ...place, type: 'ping', payload: { webhookId }, occurredAt: ctx.clock.now() });
  return sendNew(ctx, place, webhook, audit, () => ({ eventType: 'ping', payload }), 'webhook.pinged', {});
}
