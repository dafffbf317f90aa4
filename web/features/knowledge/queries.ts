import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  EditableOwners,
  ProposalStatus,
  ProposalView,
  SheetDiff,
  SheetSearchQuery,
  SheetSearchResult,
  SheetVersionSummary,
  SheetView,
  SuggestionsResult,
} from '../../../contracts/knowledge.ts';
import { api } from '../../api/client.ts';

/** The filters of a search (the page size and offset are the query's own). */
export type SheetSearchFilters = Pick<z.input<typeof SheetSearchQuery>, 'q' | 'organisationId' | 'theme' | 'status' | 'stale'>;
const PAGE_SIZE = 20;

export const knowledgePath = (territoryId: string) => `/api/territories/${territoryId}/knowledge`;
export const sheetPath = (territoryId: string, sheetId: string) => `${knowledgePath(territoryId)}/sheets/${sheetId}`;
export const proposalPath = (territoryId: string, proposalId: string) => `${knowledgePath(territoryId)}/proposals/${proposalId}`;

export const knowledgeKeys = {
  all: (territoryId: string) => ['territory', territoryId, 'knowledge'] as const,
  search: (territoryId: string, query: SheetSearchFilters) => ['territory', territoryId, 'knowledge', 'search', query] as const,
  sheet: (territoryId: string, sheetId: string) => ['territory', territoryId, 'knowledge', 'sheets', sheetId] as const,
  versions: (territoryId: string, sheetId: string) => ['territory', territoryId, 'knowledge', 'sheets', sheetId, 'versions'] as const,
  diff: (territoryId: string, sheetId: string, from: number, to: number) =>
    ['territory', territoryId, 'knowledge', 'sheets', sheetId, 'diff', from, to] as const,
  proposals: (territoryId: string, status: ProposalStatus) => ['territory', territoryId, 'knowledge', 'proposals', status] as const,
  owners: (territoryId: string) => ['territory', territoryId, 'knowledge', 'owners'] as const,
  suggestions: (territoryId: string, query: Record<string, string>) =>
    ['territory', territoryId, 'knowledge', 'suggestions', query] as const,
};

const queryString = (values: Record<string, string | number | undefined>) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
};

/**
 * The sheets matching the filters, 20 at a time, with the facets, corrections and expansions of the
 * first page; the previous result stays on screen while the next one loads.
 */
export const useSheetSearch = (territoryId: string, filters: SheetSearchFilters) =>
  useInfiniteQuery({
    queryKey: knowledgeKeys.search(territoryId, filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<SheetSearchResult>(
        `${knowledgePath(territoryId)}/sheets${queryString({ ...filters, limit: PAGE_SIZE, offset: pageParam })}`,
        {
          signal,
        },
      ),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((n, p) => n + p.items.length, 0);
      return loaded < last.total && last.items.length > 0 && loaded <= 1000 ? loaded : undefined;
    },
    placeholderData: keepPreviousData,
  });

export const useSheet = (territoryId: string, sheetId: string) =>
  useQuery({
    queryKey: knowledgeKeys.sheet(territoryId, sheetId),
    queryFn: () => api.get<SheetView>(sheetPath(territoryId, sheetId)),
  });

export const useSheetVersions = (territoryId: string, sheetId: string) =>
  useQuery({
    queryKey: knowledgeKeys.versions(territoryId, sheetId),
    queryFn: () => api.get<z.infer<typeof SheetVersionSummary>[]>(`${sheetPath(territoryId, sheetId)}/versions`),
  });

export const useSheetDiff = (territoryId: string, sheetId: string, from: number, to: number) =>
  useQuery({
    queryKey: knowledgeKeys.diff(territoryId, sheetId, from, to),
    queryFn: () => api.get<SheetDiff>(`${sheetPath(territoryId, sheetId)}/diff${queryString({ from, to })}`),
    enabled: from > 0 && to > 0 && from !== to,
  });

export const useProposals = (territoryId: string, status: ProposalStatus) =>
  useQuery({
    queryKey: knowledgeKeys.proposals(territoryId, status),
    queryFn: () => api.get<ProposalView[]>(`${knowledgePath(territoryId)}/proposals${queryString({ status })}`),
  });

/** The owners the caller may write sheets for (empty: the caller writes none). */
export const useEditableOwners = (territoryId: string) =>
  useQuery({
    queryKey: knowledgeKeys.owners(territoryId),
    queryFn: () => api.get<EditableOwners>(`${knowledgePath(territoryId)}/owners`),
    staleTime: 5 * 60_000,
  });

/** The sheets for what the agent is writing; only when something is chosen or typed. */
export const useSuggestions = (territoryId: string, query: { organisationIds?: string; themes?: string; text?: string }) => {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) if (value?.trim()) clean[key] = value.trim();
  return useQuery({
    queryKey: knowledgeKeys.suggestions(territoryId, clean),
    queryFn: ({ signal }) =>
      api.get<z.infer<typeof SuggestionsResult>>(`${knowledgePath(territoryId)}/suggestions${queryString({ ...clean, limit: 5 })}`, {
        signal,
      }),
    enabled: Object.keys(clean).length > 0,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
};

/** « 1 fiche », « 3 fiches ». */
export const sheetCount = (n: number) => (n === 1 ? '1 fiche' : `${n.toLocaleString('fr-FR')} fiches`);
