import { useInfiniteQuery } from '@tanstack/react-query';
import type { HistoryPage, PersonExport } from '../../../contracts/people-lifecycle.ts';
import { api } from '../../api/client.ts';
import { peopleKeys } from './queries.ts';

/** The file's history, newest first, page after page (each page is journaled as a read from « historique »). */
export const usePersonHistory = (territoryId: string, id: string) =>
  useInfiniteQuery({
    queryKey: [...peopleKeys.person(territoryId, id), 'history'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api.get<HistoryPage>(
        `/api/territories/${territoryId}/people/${id}/history?${new URLSearchParams({ screen: 'historique', limit: '20', ...(pageParam ? { cursor: pageParam } : {}) })}`,
        { signal },
      ),
    getNextPageParam: (last) => last.nextCursor,
  });

export const fetchExport = (territoryId: string, id: string) =>
  api.get<PersonExport>(`/api/territories/${territoryId}/people/${id}/export`);

/** Saves the export as a JSON file in the browser (the API's answer, as is). */
export function downloadJson(data: unknown, fileName: string) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
