import { useQuery } from '@tanstack/react-query';
import type { AssigneesView, RequestDetails, RequestSettingsView } from '../../../contracts/requests.ts';
import { api } from '../../api/client.ts';
import { requestPath } from './uploadAttachment.ts';

export const threadKeys = {
  all: (territoryId: string) => ['territory', territoryId, 'requests'] as const,
  details: (territoryId: string, requestId: string) => ['territory', territoryId, 'requests', requestId] as const,
  assignees: (territoryId: string, organisationId: string) => ['territory', territoryId, 'request-assignees', organisationId] as const,
  settings: (territoryId: string, organisationId: string) => ['territory', territoryId, 'request-settings', organisationId] as const,
};

/** A request's thread; opening it marks it seen. Refreshed every minute so a new message shows up. */
export const useRequestDetails = (territoryId: string, requestId: string) =>
  useQuery({
    queryKey: threadKeys.details(territoryId, requestId),
    queryFn: () => api.get<RequestDetails>(requestPath(territoryId, requestId)),
    refetchInterval: 60_000,
  });

export const useAssignees = (territoryId: string, organisationId: string, enabled = true) =>
  useQuery({
    queryKey: threadKeys.assignees(territoryId, organisationId),
    queryFn: () => api.get<AssigneesView>(`/api/territories/${territoryId}/organisations/${organisationId}/request-assignees`),
    enabled,
  });

export const useRequestSettings = (territoryId: string, organisationId: string) =>
  useQuery({
    queryKey: threadKeys.settings(territoryId, organisationId),
    queryFn: () => api.get<RequestSettingsView>(`/api/territories/${territoryId}/organisations/${organisationId}/request-settings`),
  });
