import { useQuery } from '@tanstack/react-query';
import type { MemberView } from '../../../contracts/members.ts';
import { api } from '../../api/client.ts';

export const membersKey = (territoryId: string) => ['territory', territoryId, 'members'] as const;

export const useMembers = (territoryId: string) =>
  useQuery({ queryKey: membersKey(territoryId), queryFn: () => api.get<MemberView[]>(`/api/territories/${territoryId}/members`) });
