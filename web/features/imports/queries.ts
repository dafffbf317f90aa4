import { useQuery } from '@tanstack/react-query';
import type { ImportView } from '../../../contracts/imports.ts';
import { api } from '../../api/client.ts';

export const importKey = (territoryId: string, id: string) => ['territory', territoryId, 'imports', id] as const;

/** An import run, read again every second until it is finished. */
export const useImportRun = (territoryId: string, id: string | null) =>
  useQuery({
    queryKey: importKey(territoryId, id ?? ''),
    queryFn: () => api.get<ImportView>(`/api/territories/${territoryId}/imports/${id}`),
    enabled: !!id,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'done' || status === 'failed' ? false : 1000;
    },
  });

/** The bytes of a file as base64, for the JSON body (the server detects UTF-8 or Latin-1). */
export async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
