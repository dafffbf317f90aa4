import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { WebhookDeliveryList, WebhookView } from '../../../contracts/webhooks.ts';
import { api } from '../../api/client.ts';

export type Webhook = z.infer<typeof WebhookView>;
export type DeliveryList = z.infer<typeof WebhookDeliveryList>;

export const webhooksPath = (territoryId: string, organisationId: string) =>
  `/api/territories/${territoryId}/organisations/${organisationId}/webhooks`;
export const webhookKeys = {
  list: (territoryId: string, organisationId: string) => ['territory', territoryId, 'organisations', organisationId, 'webhooks'] as const,
  deliveries: (territoryId: string, organisationId: string, webhookId: string) =>
    [...webhookKeys.list(territoryId, organisationId), webhookId, 'deliveries'] as const,
};

export const useWebhooks = (territoryId: string, organisationId: string) =>
  useQuery({
    queryKey: webhookKeys.list(territoryId, organisationId),
    queryFn: () => api.get<Webhook[]>(webhooksPath(territoryId, organisationId)),
  });

const PAGE = 20;
/** The delivery log, newest first, a page at a time. */
export const useDeliveries = (territoryId: string, organisationId: string, webhookId: string) =>
  useInfiniteQuery({
    queryKey: webhookKeys.deliveries(territoryId, organisationId, webhookId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<DeliveryList>(
        `${webhooksPath(territoryId, organisationId)}/${webhookId}/deliveries?limit=${PAGE}${pageParam ? `&before=${pageParam}` : ''}`,
      ),
    getNextPageParam: (last) => last.nextBefore,
  });
