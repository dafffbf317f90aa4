import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { OrganisationDetails } from '../../../contracts/partners.ts';
import type {
  AssigneesView,
  ReceiptView,
  RequestDetails,
  RequestListView,
  RequestSettingsView,
  RequestStatus,
} from '../../../contracts/requests.ts';
import { api } from '../../api/client.ts';

export const requestsPath = (territoryId: string) => `/api/territories/${territoryId}/requests`;
export const requestPath = (territoryId: string, requestId: string) => `${requestsPath(territoryId)}/${requestId}`;
const organisationPath = (territoryId: string, organisationId: string) => `/api/territories/${territoryId}/organisations/${organisationId}`;

export const requestKeys = {
  all: (territoryId: string) => ['territory', territoryId, 'requests'] as const,
  list: (territoryId: string, filters: RequestFilters) => ['territory', territoryId, 'requests', 'list', filters] as const,
  one: (territoryId: string, requestId: string) => ['territory', territoryId, 'requests', requestId] as const,
  receipt: (territoryId: string, requestId: string) => ['territory', territoryId, 'requests', requestId, 'receipt'] as const,
  settings: (territoryId: string, organisationId: string) =>
    ['territory', territoryId, 'organisations', organisationId, 'request-settings'] as const,
  assignees: (territoryId: string, organisationId: string) =>
    ['territory', territoryId, 'organisations', organisationId, 'request-assignees'] as const,
};

export interface RequestFilters {
  open: 'oui' | 'non';
  status?: RequestStatus;
  organisationId?: string;
  personId?: string;
}

/** The requests the caller may see (their contact points' for an agent), one page of 50 after another. */
export const useRequestList = (territoryId: string, filters: RequestFilters) =>
  useInfiniteQuery({
    queryKey: requestKeys.list(territoryId, filters),
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ open: filters.open, limit: '50' });
      if (filters.status) query.set('status', filters.status);
      if (filters.organisationId) query.set('organisationId', filters.organisationId);
      if (filters.personId) query.set('personId', filters.personId);
      if (pageParam) query.set('cursor', pageParam);
      return api.get<RequestListView>(`${requestsPath(territoryId)}?${query}`, { signal });
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

/** The details (marks the request seen for the caller). */
export const useRequest = (territoryId: string, requestId: string) =>
  useQuery({
    queryKey: requestKeys.one(territoryId, requestId),
    queryFn: () => api.get<RequestDetails>(requestPath(territoryId, requestId)),
  });

export const useReceipt = (territoryId: string, requestId: string) =>
  useQuery({
    queryKey: requestKeys.receipt(territoryId, requestId),
    queryFn: () => api.get<ReceiptView>(`${requestPath(territoryId, requestId)}/receipt`),
  });

/** A partner's deadlines and the identifiers it needs (shown while the request is written). */
export const useRequestSettings = (territoryId: string, organisationId: string) =>
  useQuery({
    queryKey: requestKeys.settings(territoryId, organisationId),
    queryFn: () => api.get<RequestSettingsView>(`${organisationPath(territoryId, organisationId)}/request-settings`),
    enabled: !!organisationId,
    staleTime: 5 * 60_000,
  });

/** The named referents a request to this organisation may be addressed to. */
export const useAssignees = (territoryId: string, organisationId: string) =>
  useQuery({
    queryKey: requestKeys.assignees(territoryId, organisationId),
    queryFn: () => api.get<AssigneesView>(`${organisationPath(territoryId, organisationId)}/request-assignees`),
    enabled: !!organisationId,
    staleTime: 5 * 60_000,
  });

/** The procedures of a partner's catalogue, offered while typing the procedure (free text stays allowed). */
export function useOrganisationProcedures(territoryId: string, organisationId: string): string[] {
  const details = useQuery({
    queryKey: ['territory', territoryId, 'organisations', organisationId],
    queryFn: () => api.get<OrganisationDetails>(organisationPath(territoryId, organisationId)),
    enabled: !!organisationId,
    staleTime: 5 * 60_000,
  });
  return organisationId ? (details.data?.procedures ?? []) : [];
}

/** The agent-side words for a status, when the server's label is not at hand (filters). */
export const AgentStatusLabels: Record<RequestStatus, string> = {
  envoyee: 'Envoyée',
  en_cours: 'Prise en charge',
  attente_infos: 'Informations demandées',
  repondue: 'Répondue',
  cloturee: 'Clôturée',
  archivee: 'Archivée',
};

/** « 4 jours ouvrés », « 1 jour ouvré ». */
export const workingDays = (n: number) => (n === 1 ? '1 jour ouvré' : `${n} jours ouvrés`);
