import { createBrowserRouter } from 'react-router';
import { AccountPage } from './features/account/AccountPage.tsx';
import { AuditPage } from './features/audit/AuditPage.tsx';
import { ForgotPasswordPage } from './features/auth/ForgotPasswordPage.tsx';
import { InvitationPage } from './features/auth/InvitationPage.tsx';
import { LoginPage } from './features/auth/LoginPage.tsx';
import { ResetPasswordPage } from './features/auth/ResetPasswordPage.tsx';
import { NotFoundPage } from './features/errors/NotFoundPage.tsx';
import { HomePage } from './features/home/HomePage.tsx';
import { MembersPage } from './features/members/MembersPage.tsx';
import { EditContactPointPage } from './features/network/EditContactPointPage.tsx';
import { NetworkPage } from './features/network/NetworkPage.tsx';
import { AppLayout } from './features/shell/AppLayout.tsx';
import { RequireRole } from './features/shell/RequireRole.tsx';
import { RequireSession } from './features/shell/RequireSession.tsx';
import { TokensPage } from './features/tokens/TokensPage.tsx';

export const router = createBrowserRouter([
  {
    element: <AppLayout />,
    children: [
      { path: '/connexion', element: <LoginPage /> },
      { path: '/mot-de-passe-oublie', element: <ForgotPasswordPage /> },
      { path: '/reinitialiser-mot-de-passe', element: <ResetPasswordPage /> },
      { path: '/invitation', element: <InvitationPage /> },
      {
        element: <RequireSession />,
        children: [
          { path: '/', element: <HomePage /> },
          { path: '/compte', element: <AccountPage /> },
          {
            path: '/reseau',
            element: (
              <RequireRole page="/reseau">
                <NetworkPage />
              </RequireRole>
            ),
          },
          {
            path: '/reseau/lieux/:id',
            element: (
              <RequireRole page="/reseau/lieux">
                <EditContactPointPage />
              </RequireRole>
            ),
          },
          {
            path: '/membres',
            element: (
              <RequireRole page="/membres">
                <MembersPage />
              </RequireRole>
            ),
          },
          {
            path: '/journal',
            element: (
              <RequireRole page="/journal">
                <AuditPage />
              </RequireRole>
            ),
          },
          {
            path: '/jetons',
            element: (
              <RequireRole page="/jetons">
                <TokensPage />
              </RequireRole>
            ),
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
