import { z } from 'zod';
import { Uuid } from './common.ts';

/** What a partner's system may subscribe to; `ping` is the test event sent on demand. */
export const webhookEventTypes = [
  'request.created',
  'request.status_changed',
  'request.message_added',
  'request.rerouted',
  'ping',
] as const;
export const WebhookEventType = z.enum(webhookEventTypes);
export type WebhookEventType = z.infer<typeof WebhookEventType>;
export const webhookEventLabels: Record<WebhookEventType, string> = {
  'request.created': 'Nouvelle saisine',
  'request.status_changed': 'Changement de statut',
  'request.message_added': 'Nouveau message',
  'request.rerouted': 'Saisine réorientée',
  ping: 'Test (ping)',
};

export const webhookDeliveryStatuses = ['en_attente', 'livre', 'echec'] as const;
export const webhookDeliveryLabels: Record<(typeof webhookDeliveryStatuses)[number], string> = {
  en_attente: 'En attente',
  livre: 'Livré',
  echec: 'Échec',
};

/** The endpoint's address: http(s) here; the server refuses the rest (422 WEBHOOK_URL_REFUSED). */
export const WebhookUrl = z
  .url({ protocol: /^https?$/, message: 'adresse commençant par https://' })
  .max(500, { message: 'adresse trop longue (500 caractères au plus)' });
const Events = z
  .array(WebhookEventType)
  .min(1, { message: 'choisissez au moins un événement' })
  .max(webhookEventTypes.length)
  .transform((events) => [...new Set(events)]);

export const OrganisationWebhooksParams = z.strictObject({ territoryId: Uuid, organisationId: Uuid });
export const WebhookParams = OrganisationWebhooksParams.extend({ webhookId: Uuid });
export const WebhookDeliveryParams = WebhookParams.extend({ deliveryId: Uuid });

export const CreateWebhookBody = z.strictObject({ url: WebhookUrl, events: Events });
export const UpdateWebhookBody = z
  .strictObject({ url: WebhookUrl.optional(), events: Events.optional(), active: z.boolean().optional() })
  .refine((b) => b.url !== undefined || b.events !== undefined || b.active !== undefined, { message: 'rien à modifier' });

export const WebhookView = z.object({
  id: Uuid,
  territoryId: Uuid,
  organisationId: Uuid,
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.iso.datetime(),
});
/** The signing secret is in the answer of the creation and of a rotation only. */
export const WebhookWithSecret = WebhookView.extend({ secret: z.string() });

export const WebhookDeliveryView = z.object({
  id: Uuid,
  webhookId: Uuid,
  eventType: z.string(),
  status: z.enum(webhookDeliveryStatuses),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export const WebhookDeliveriesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  /** The last delivery of the previous page (newest first). */
  before: Uuid.optional(),
});
export const WebhookDeliveryList = z.object({ items: z.array(WebhookDeliveryView), nextBefore: Uuid.nullable() });
