import { useQuery } from '@tanstack/react-query';
import type { ContactPointDetails, ContactPointView, LabelCheckRow, OrganisationView, TerritoryView } from '../../../contracts/network.ts';
import { api } from '../../api/client.ts';

export const networkKeys = {
  contactPoints: (territoryId: string) => ['territory', territoryId, 'contact-points'] as const,
  contactPoint: (territoryId: string, id: string) => ['territory', territoryId, 'contact-points', id] as const,
  labelChecks: (territoryId: string) => ['territory', territoryId, 'label-checks'] as const,
  organisations: (territoryId: string) => ['territory', territoryId, 'organisations'] as const,
  territories: ['territories'] as const,
};

export const useContactPoints = (territoryId: string) =>
  useQuery({
    queryKey: networkKeys.contactPoints(territoryId),
    queryFn: () => api.get<ContactPointView[]>(`/api/territories/${territoryId}/contact-points`),
  });

/** A contact point with open now, its week, partners served, agents and label check. */
export const useContactPoint = (territoryId: string, id: string) =>
  useQuery({
    queryKey: networkKeys.contactPoint(territoryId, id),
    queryFn: () => api.get<ContactPointDetails>(`/api/territories/${territoryId}/contact-points/${id}`),
  });

export const useLabelChecks = (territoryId: string, enabled: boolean) =>
  useQuery({
    queryKey: networkKeys.labelChecks(territoryId),
    queryFn: () => api.get<LabelCheckRow[]>(`/api/territories/${territoryId}/label-checks`),
    enabled,
  });

export const useOrganisations = (territoryId: string) =>
  useQuery({
    queryKey: networkKeys.organisations(territoryId),
    queryFn: () => api.get<OrganisationView[]>(`/api/territories/${territoryId}/organisations`),
  });

export const useTerritories = () =>
  useQuery({ queryKey: networkKeys.territories, queryFn: () => api.get<TerritoryView[]>('/api/territories') });
