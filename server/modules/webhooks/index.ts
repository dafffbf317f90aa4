/** What other modules use of webhooks: the outbox (call in your transaction) and the queueing after commit. */
export { type WebhookEventType, webhookEventTypes } from '../../../contracts/webhooks.ts';
export { DELIVER_JOB, emitWebhookEvent, queueWebhookDeliveries, SWEEP_JOB, type WebhookEventInput } from './outbox.ts';
