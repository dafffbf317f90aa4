import { useQuery } from '@tanstack/react-query';
import type { CommuneSuggestion, FinderResponse, PublicConfig, PublicContactPoint } from '../../../contracts/finder.ts';
import { api } from '../../api/client.ts';

/** The public finder's API calls (no session needed). */

export const usePublicConfig = () =>
  useQuery({
    queryKey: ['public-config'],
    queryFn: () => api.get<PublicConfig>('/api/public/config'),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const useCommuneSuggestions = (q: string) =>
  useQuery({
    queryKey: ['public-communes', q],
    queryFn: ({ signal }) => api.get<CommuneSuggestion[]>(`/api/public/communes?q=${encodeURIComponent(q)}`, { signal }),
    enabled: q.trim().length >= 2,
    staleTime: 60_000,
  });

/** Search parameters of the finder page, as the API takes them. */
export type FinderSearch = { lat: string; lon: string } | { insee: string } | { postcode: string };

export const finderSearchOf = (params: URLSearchParams): FinderSearch | null => {
  const lat = params.get('lat');
  const lon = params.get('lon');
  if (lat && lon) return { lat, lon };
  const insee = params.get('insee');
  if (insee) return { insee };
  const postcode = params.get('postcode');
  if (postcode) return { postcode };
  return null;
};

export const useNearestContactPoints = (search: FinderSearch | null, openNow: boolean) =>
  useQuery({
    queryKey: ['public-finder', search, openNow],
    queryFn: () => {
      const params = new URLSearchParams(search as Record<string, string>);
      if (openNow) params.set('openNow', 'true');
      params.set('limit', '20');
      return api.get<FinderResponse>(`/api/public/contact-points?${params}`);
    },
    enabled: search !== null,
  });

export const usePublicContactPoint = (id: string) =>
  useQuery({ queryKey: ['public-contact-point', id], queryFn: () => api.get<PublicContactPoint>(`/api/public/contact-points/${id}`) });
