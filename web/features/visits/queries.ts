import { useQuery } from '@tanstack/react-query';
import type { BusStopView } from '../../../contracts/partners.ts';
import type { TaxonomyView } from '../../../contracts/taxonomy.ts';
import type { VisitListView, VisitShortcutsView } from '../../../contracts/visits.ts';
import { api } from '../../api/client.ts';

export const visitKeys = {
  all: ['visits'] as const,
  day: (territoryId: string, contactPointId: string, day: string) => ['visits', territoryId, contactPointId, day] as const,
  // Not under 'visits': the keys must not move under the agent's fingers after each save.
  shortcuts: (territoryId: string, contactPointId: string) => ['territory', territoryId, 'visit-shortcuts', contactPointId] as const,
  taxonomy: (territoryId: string) => ['territory', territoryId, 'taxonomy'] as const,
};

/** The contact point's most frequent partners and themes, offered with one key each. */
export const useVisitShortcuts = (territoryId: string, contactPointId: string) =>
  useQuery({
    queryKey: visitKeys.shortcuts(territoryId, contactPointId),
    queryFn: () => api.get<VisitShortcutsView>(`/api/territories/${territoryId}/contact-points/${contactPointId}/visit-shortcuts`),
    staleTime: 5 * 60_000,
  });

export const useTaxonomy = (territoryId: string) =>
  useQuery({
    queryKey: visitKeys.taxonomy(territoryId),
    queryFn: () => api.get<TaxonomyView>(`/api/territories/${territoryId}/taxonomy`),
    staleTime: 5 * 60_000,
  });

/** Midnight of a day and of the next, in the browser's time zone, as ISO instants. */
export function dayBounds(day: Date): { from: string; to: string } {
  const start = new Date(day.getFullYear(), day.getMonth(), day.getDate());
  const end = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1);
  return { from: start.toISOString(), to: end.toISOString() };
}

/** The visits of a contact point on one day (all of them: a contact point logs well under 200 a day). */
export const useDayVisits = (territoryId: string, contactPointId: string, day: Date) => {
  const { from, to } = dayBounds(day);
  return useQuery({
    queryKey: visitKeys.day(territoryId, contactPointId, from),
    queryFn: () => {
      const query = new URLSearchParams({ contactPointId, from, to, limit: '200' });
      return api.get<VisitListView>(`/api/territories/${territoryId}/visits?${query}`);
    },
  });
};

/** The stops of one local day of a bus or an antenna (an empty list for a fixed place). */
export const useBusStopsOfDay = (territoryId: string, contactPointId: string, day: string) =>
  useQuery({
    queryKey: ['territory', territoryId, 'bus-stops', contactPointId, 'day', day],
    queryFn: () =>
      api.get<BusStopView[]>(`/api/territories/${territoryId}/contact-points/${contactPointId}/bus-stops?from=${day}&to=${day}`),
    staleTime: 5 * 60_000,
  });
