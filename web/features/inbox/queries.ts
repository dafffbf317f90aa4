import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { InboxFilter, InboxView } from '../../../contracts/requests.ts';
import { api } from '../../api/client.ts';

export const inboxKeys = {
  all: (territoryId: string) => ['territory', territoryId, 'requests-inbox'] as const,
  list: (territoryId: string, organisationId: string, filter: InboxFilter, themeCode: string) =>
    ['territory', territoryId, 'requests-inbox', organisationId, filter, themeCode] as const,
};

/** Refreshed every minute, so that a new request shows up without reloading: nothing is missed. */
export const INBOX_REFRESH_MS = 60_000;

const inboxPath = (territoryId: string, organisationId: string) => `/api/territories/${territoryId}/organisations/${organisationId}/inbox`;

/** One filter of an organisation's inbox, most urgent first, page by page (« Charger plus »). */
export const useInbox = (territoryId: string, organisationId: string, filter: InboxFilter, themeCode: string) =>
  useInfiniteQuery({
    queryKey: inboxKeys.list(territoryId, organisationId, filter, themeCode),
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ filtre: filter, limit: '50' });
      if (themeCode) query.set('themeCode', themeCode);
      if (pageParam) query.set('cursor', pageParam);
      return api.get<InboxView>(`${inboxPath(territoryId, organisationId)}?${query}`, { signal });
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: INBOX_REFRESH_MS,
    // Also in a background tab: its title shows the count of new requests.
    refetchIntervalInBackground: true,
  });

/** The counts per filter only (the home tile): one item is enough. */
export const useInboxCounts = (territoryId: string, organisationId: string) =>
  useQuery({
    queryKey: [...inboxKeys.all(territoryId), organisationId, 'counts'],
    queryFn: () => api.get<InboxView>(`${inboxPath(territoryId, organisationId)}?filtre=nouvelles&limit=1`),
    refetchInterval: INBOX_REFRESH_MS,
    refetchIntervalInBackground: true,
    select: (view) => view.counts,
  });
