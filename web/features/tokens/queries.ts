import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ApiTokenView } from '../../../contracts/members.ts';
import { api } from '../../api/client.ts';

export const tokensKey = (territoryId: string) => ['territory', territoryId, 'api-tokens'] as const;

export const useApiTokens = (territoryId: string) =>
  useQuery({
    queryKey: tokensKey(territoryId),
    queryFn: () => api.get<z.infer<typeof ApiTokenView>[]>(`/api/territories/${territoryId}/api-tokens`),
  });
