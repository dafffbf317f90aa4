import { startReactDsfr } from '@codegouvfr/react-dsfr/spa.js';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Link, RouterProvider } from 'react-router';
import { z } from 'zod';
import { ApiError, setUnauthenticatedHandler } from './api/client.ts';
import { router } from './router.tsx';
import { meQueryKey } from './session/session.ts';
import './styles.css';

declare module '@codegouvfr/react-dsfr/spa.js' {
  interface RegisterLink {
    Link: typeof Link;
  }
}

startReactDsfr({ defaultColorScheme: 'system', Link });
z.config(z.locales.fr());

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refused or missing resource will not appear by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

// The session ended (expired, revoked, signed out elsewhere): forget it and go to the sign-in page.
setUnauthenticatedHandler(() => {
  const { pathname, search } = window.location;
  if (pathname === '/connexion') return;
  queryClient.setQueryData(meQueryKey, null);
  void router.navigate(`/connexion?retour=${encodeURIComponent(pathname + search)}`, { replace: true });
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
