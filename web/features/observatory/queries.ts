import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { KeyFigures, PublicStats, RequestsDashboard, SatisfactionDashboard, VisitsDashboard } from '../../../contracts/observatory.ts';
import { api } from '../../api/client.ts';
import { apiQuery, type ObservatoryFilters, observatoryPath } from './filters.ts';

/** The observatory's API calls; the figure on screen stays while the next filters load. */

const keys = {
  dashboard: (territoryId: string, kind: string, filters: ObservatoryFilters) =>
    ['territory', territoryId, 'observatory', kind, filters] as const,
  keyFigures: (territoryId: string, year: number) => ['territory', territoryId, 'observatory', 'key-figures', year] as const,
  publicStats: (slug: string, year: number | null) => ['public-statistics', slug, year] as const,
};

const useDashboard = <T>(territoryId: string, kind: 'visits' | 'requests' | 'satisfaction', filters: ObservatoryFilters, enabled = true) =>
  useQuery({
    queryKey: keys.dashboard(territoryId, kind, filters),
    queryFn: ({ signal }) => api.get<T>(`${observatoryPath(territoryId)}/${kind}${apiQuery(filters)}`, { signal }),
    placeholderData: keepPreviousData,
    enabled,
  });

export const useVisitsDashboard = (territoryId: string, filters: ObservatoryFilters, enabled = true) =>
  useDashboard<VisitsDashboard>(territoryId, 'visits', filters, enabled);
export const useRequestsDashboard = (territoryId: string, filters: ObservatoryFilters, enabled = true) =>
  useDashboard<RequestsDashboard>(territoryId, 'requests', filters, enabled);
export const useSatisfactionDashboard = (territoryId: string, filters: ObservatoryFilters, enabled = true) =>
  useDashboard<SatisfactionDashboard>(territoryId, 'satisfaction', filters, enabled);

/**
 * The year's key figures, put together from the three dashboards over the year's whole months
 * (the current year stops at the last complete month), compared with the year before.
 * Same shape as the contract's KeyFigures, so that a key-figures endpoint can replace it.
 */
/** The territory's yearly key figures (coordination): one request, the server reads the three dashboards. */
export const useKeyFigures = (territoryId: string, year: number) =>
  useQuery({
    queryKey: keys.keyFigures(territoryId, year),
    queryFn: ({ signal }) => api.get<KeyFigures>(`${observatoryPath(territoryId)}/key-figures?year=${year}`, { signal }),
    placeholderData: keepPreviousData,
  });

export const usePublicStats = (slug: string, year: number | null) =>
  useQuery({
    queryKey: keys.publicStats(slug, year),
    queryFn: ({ signal }) =>
      api.get<PublicStats>(`/api/public/statistics/${encodeURIComponent(slug)}${year ? `?year=${year}` : ''}`, {
        signal,
        allowUnauthenticated: true,
      }),
    placeholderData: keepPreviousData,
  });
