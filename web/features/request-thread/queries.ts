import { useQuery } from '@tanstack/react-query';
import type { RequestDetails } from '../../../contracts/requests.ts';
import { api } from '../../api/client.ts';
import { requestKeys, requestPath } from '../requests/queries.ts';

/** A request's thread (the same cache entry as the agent pages' useRequest); opening it marks it seen. Refreshed every minute. */
export const useRequestDetails = (territoryId: string, requestId: string) =>
  useQuery({
    queryKey: requestKeys.one(territoryId, requestId),
    queryFn: () => api.get<RequestDetails>(requestPath(territoryId, requestId)),
    refetchInterval: 60_000,
  });

/** The download address of an attachment (Content-Disposition: attachment). */
export const attachmentHref = (territoryId: string, requestId: string, attachmentId: string) =>
  `${requestPath(territoryId, requestId)}/attachments/${attachmentId}`;

/** After a change: the inboxes and the agents' lists (not the details, which the answer replaced). */
export const otherRequestQueries = (territoryId: string) => ({
  predicate: (q: { queryKey: readonly unknown[] }) =>
    q.queryKey[0] === 'territory' &&
    q.queryKey[1] === territoryId &&
    (q.queryKey[2] === 'requests-inbox' || (q.queryKey[2] === 'requests' && q.queryKey[3] === 'list')),
});
