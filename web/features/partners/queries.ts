import { useQuery } from '@tanstack/react-query';
import type { BusStopView, DirectoryEntry, OrganisationDetails } from '../../../contracts/partners.ts';
import { api } from '../../api/client.ts';

export const partnerKeys = {
  organisation: (territoryId: string, id: string) => ['territory', territoryId, 'organisations', id] as const,
  directory: (territoryId: string) => ['territory', territoryId, 'referents'] as const,
  busStops: (territoryId: string, contactPointId: string) => ['territory', territoryId, 'bus-stops', contactPointId] as const,
};

export const useOrganisationDetails = (territoryId: string, id: string) =>
  useQuery({
    queryKey: partnerKeys.organisation(territoryId, id),
    queryFn: () => api.get<OrganisationDetails>(`/api/territories/${territoryId}/organisations/${id}`),
  });

export const useDirectory = (territoryId: string, filters: { q: string; theme: string; organisationId: string }) =>
  useQuery({
    queryKey: [...partnerKeys.directory(territoryId), filters],
    queryFn: ({ signal }) => {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(filters)) if (value.trim()) query.set(key, value.trim());
      return api.get<DirectoryEntry[]>(`/api/territories/${territoryId}/referents?${query}`, { signal });
    },
    placeholderData: (previous) => previous,
  });

export const useBusStops = (territoryId: string, contactPointId: string, period: 'upcoming' | 'past') =>
  useQuery({
    queryKey: [...partnerKeys.busStops(territoryId, contactPointId), period],
    queryFn: () => api.get<BusStopView[]>(`/api/territories/${territoryId}/contact-points/${contactPointId}/bus-stops?period=${period}`),
  });

/** "02 33 25 00 00" → "+33233250000" for a tel: link; short service numbers stay as they are. */
export function telHref(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  return `tel:${digits.startsWith('0') && digits.length === 10 ? `+33${digits.slice(1)}` : digits}`;
}
