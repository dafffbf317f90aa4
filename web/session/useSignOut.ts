import { useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../api/client.ts';
import { meQueryKey } from './session.ts';

/** Set while the person has just signed out, so that the sign-in page says so instead of asking to come back. */
export const signOut = { done: false };

/** Signs out on the server and forgets every cached answer; the signed-in routes then lead to the sign-in page. */
export function useSignOut() {
  const queryClient = useQueryClient();
  return async () => {
    const result = await api.post<{ redirectTo: string | null }>('/api/auth/logout').catch(() => null);
    setCsrfToken(null);
    signOut.done = true;
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== meQueryKey[0] });
    queryClient.setQueryData(meQueryKey, null);
    // After a ProConnect sign-in, end the provider's session too; it comes back to /connexion.
    if (result?.redirectTo) window.location.assign(result.redirectTo);
  };
}
