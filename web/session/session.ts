import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useSyncExternalStore } from 'react';
import type { Me, MembershipView } from '../../contracts/accounts.ts';
import { RoleLabels } from '../../contracts/common.ts';
import { ApiError, api, setCsrfToken } from '../api/client.ts';

export const meQueryKey = ['me'] as const;

/** The signed-in person, or null when nobody is signed in. */
export function useMe() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: async (): Promise<Me | null> => {
      try {
        return await api.get<Me>('/api/auth/me', { allowUnauthenticated: true });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          setCsrfToken(null);
          return null;
        }
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** Where the person is working right now: one of their memberships, or the platform administration. */
export type WorkContext = { kind: 'membership'; key: string; membership: MembershipView } | { kind: 'admin'; key: 'admin' };

export function workContextsOf(me: Me): WorkContext[] {
  const contexts: WorkContext[] = me.memberships.map((m) => ({ kind: 'membership', key: m.id, membership: m }));
  if (me.user.isPlatformAdmin) contexts.push({ kind: 'admin', key: 'admin' });
  return contexts;
}

export function describeContext(context: WorkContext): { role: string; place: string } {
  if (context.kind === 'admin') return { role: 'Administration de la plateforme', place: 'Tous les territoires' };
  const m = context.membership;
  const where = m.contactPoint?.name ?? (m.organisation ? m.organisation.acronym : null);
  return { role: RoleLabels[m.role], place: where ? `${m.territory.name} · ${where}` : m.territory.name };
}

const STORAGE_KEY = 'relais.contexte';
const listeners = new Set<() => void>();
const readStored = () => {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
};
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The current work context, remembered in localStorage; the first membership by default. */
export function useWorkContext(me: Me) {
  const stored = useSyncExternalStore(subscribe, readStored, () => null);
  const contexts = workContextsOf(me);
  const current = contexts.find((c) => c.key === stored) ?? contexts[0] ?? null;
  const queryClient = useQueryClient();
  const select = useCallback(
    (key: string) => {
      try {
        localStorage.setItem(STORAGE_KEY, key);
      } catch {
        // private browsing: the choice lasts until the page reloads
      }
      for (const listener of listeners) listener();
      void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
    },
    [queryClient],
  );
  return { contexts, current, select };
}
