import type { AppContext } from '../../app-context.ts';
import { deliverWebhook, sweepWebhookDeliveries } from './delivery.ts';
import { DELIVER_JOB, SWEEP_JOB } from './outbox.ts';

/** `webhooks.deliver` (one attempt of one delivery) and `webhooks.sweep` (every minute: overdue deliveries). */
export function registerWebhookJobs(ctx: AppContext) {
  ctx.jobs.register(DELIVER_JOB, (data) => deliverWebhook(ctx, data));
  ctx.jobs.register(
    SWEEP_JOB,
    async () => {
      await sweepWebhookDeliveries(ctx);
    },
    { cron: '* * * * *' },
  );
}
