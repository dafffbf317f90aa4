import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, setCsrfToken } from '../api/client.ts';
import { meQueryKey } from './session.ts';

/** Signs out on the server, forgets every cached answer, and goes to the sign-in page. */
export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return async () => {
    await api.post('/api/auth/logout').catch(() => {});
    setCsrfToken(null);
    // Leave the signed-in pages first, so that they do not send the person back with a "retour" link.
    await navigate('/connexion?deconnexion=1');
    queryClient.setQueryData(meQueryKey, null);
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== meQueryKey[0] });
  };
}
