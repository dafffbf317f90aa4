import type { ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { AccountPage } from './features/account/AccountPage.tsx';
import { AuditPage } from './features/audit/AuditPage.tsx';
import { ForgotPasswordPage } from './features/auth/ForgotPasswordPage.tsx';
import { InvitationPage } from './features/auth/InvitationPage.tsx';
import { LoginPage } from './features/auth/LoginPage.tsx';
import { ResetPasswordPage } from './features/auth/ResetPasswordPage.tsx';
import { BusStopsPage } from './features/bus/BusStopsPage.tsx';
import { NotFoundPage } from './features/errors/NotFoundPage.tsx';
import { FinderPage } from './features/finder/FinderPage.tsx';
import { PublicContactPointPage } from './features/finder/PublicContactPointPage.tsx';
import { HomePage } from './features/home/HomePage.tsx';
import { ImportsPage } from './features/imports/ImportsPage.tsx';
import { InboxPage } from './features/inbox/InboxPage.tsx';
import { RequestSettingsPage } from './features/inbox/RequestSettingsPage.tsx';
import { ProposalsPage } from './features/knowledge/ProposalsPage.tsx';
import { EditSheetPage, NewSheetPage } from './features/knowledge/SheetEditPage.tsx';
import { SheetHistoryPage } from './features/knowledge/SheetHistoryPage.tsx';
import { SheetImportPage } from './features/knowledge/SheetImportPage.tsx';
import { SheetPage } from './features/knowledge/SheetPage.tsx';
import { SheetProposePage } from './features/knowledge/SheetProposePage.tsx';
import { SheetSearchPage } from './features/knowledge/SheetSearchPage.tsx';
import { MandatePrintPage } from './features/mandates/MandatePrintPage.tsx';
import { SmsOutboxPage } from './features/mandates/SmsOutboxPage.tsx';
import { MembersPage } from './features/members/MembersPage.tsx';
import { ContactPointPage } from './features/network/ContactPointPage.tsx';
import { NetworkPage } from './features/network/NetworkPage.tsx';
import { MailOutboxPage } from './features/notifications/MailOutboxPage.tsx';
import { KeyFiguresPage } from './features/observatory/KeyFiguresPage.tsx';
import { ObservatoryPage } from './features/observatory/ObservatoryPage.tsx';
import { PublicStatsPage } from './features/observatory/PublicStatsPage.tsx';
import { PartnerPage } from './features/partners/PartnerPage.tsx';
import { PeopleSearchPage } from './features/people/PeopleSearchPage.tsx';
import { PersonCreatePage } from './features/people/PersonCreatePage.tsx';
import { PersonExportPage } from './features/people/PersonExportPage.tsx';
import { PersonPage } from './features/people/PersonPage.tsx';
import { ReferentsPage } from './features/referents/ReferentsPage.tsx';
import { RequestThreadPage } from './features/request-thread/RequestThreadPage.tsx';
import { NewRequestPage } from './features/requests/NewRequestPage.tsx';
import { PublicStatusPage } from './features/requests/PublicStatusPage.tsx';
import { ReceiptPage } from './features/requests/ReceiptPage.tsx';
import { RequestsPage } from './features/requests/RequestsPage.tsx';
import { AppLayout } from './features/shell/AppLayout.tsx';
import { RequireRole } from './features/shell/RequireRole.tsx';
import { RequireSession } from './features/shell/RequireSession.tsx';
import { SurveyLinksPage } from './features/survey/SurveyLinksPage.tsx';
import { SurveyPage } from './features/survey/SurveyPage.tsx';
import { VisitReceiptPage } from './features/survey/VisitReceiptPage.tsx';
import { TokensPage } from './features/tokens/TokensPage.tsx';
import { CorrectVisitPage, MyVisitsPage } from './features/visits/MyVisitsPage.tsx';
import { NewVisitPage } from './features/visits/NewVisitPage.tsx';
import { WebhooksPage } from './features/webhooks/WebhooksPage.tsx';
import type { pageRoles } from './session/access.ts';

type Page = keyof typeof pageRoles;
/** A page only some roles may open (pageRoles decides; others get the 403 page). */
const guarded = (page: Page, element: ReactNode, path: string = page) => ({
  path,
  element: <RequireRole page={page}>{element}</RequireRole>,
});

export const router = createBrowserRouter([
  {
    element: <AppLayout />,
    children: [
      { path: '/connexion', element: <LoginPage /> },
      { path: '/mot-de-passe-oublie', element: <ForgotPasswordPage /> },
      { path: '/reinitialiser-mot-de-passe', element: <ResetPasswordPage /> },
      { path: '/invitation', element: <InvitationPage /> },
      // The public finder: no sign-in.
      { path: '/trouver', element: <FinderPage /> },
      { path: '/lieux/:id', element: <PublicContactPointPage /> },
      // The public status of a request (reference + the receipt's code): no sign-in.
      { path: '/suivi', element: <PublicStatusPage /> },
      // The anonymous satisfaction survey (a receipt's, a poster's or a closed request's link): no sign-in.
      { path: '/avis/:token', element: <SurveyPage /> },
      // A territory's public statistics: no sign-in, no personal data.
      { path: '/statistiques/:slug', element: <PublicStatsPage /> },
      {
        element: <RequireSession />,
        children: [
          { path: '/', element: <HomePage /> },
          { path: '/compte', element: <AccountPage /> },
          guarded('/nouvel-accueil', <NewVisitPage />),
          guarded('/mes-accueils', <MyVisitsPage />),
          guarded('/mes-accueils', <CorrectVisitPage />, '/mes-accueils/:id'),
          guarded('/mes-accueils', <VisitReceiptPage />, '/mes-accueils/:id/recu'),
          guarded('/reseau', <NetworkPage />),
          guarded('/reseau/import', <ImportsPage />),
          guarded('/reseau/lieux', <ContactPointPage />, '/reseau/lieux/:id'),
          guarded('/reseau/lieux/questionnaire', <SurveyLinksPage />, '/reseau/lieux/:id/questionnaire'),
          guarded('/reseau/partenaires', <PartnerPage />, '/reseau/partenaires/:id'),
          guarded('/reseau/partenaires/webhooks', <WebhooksPage />, '/reseau/partenaires/:id/webhooks'),
          guarded('/reseau/bus', <BusStopsPage />, '/reseau/bus/:id'),
          guarded('/usagers', <PeopleSearchPage />),
          guarded('/usagers', <PersonCreatePage />, '/usagers/nouveau'),
          guarded('/usagers', <PersonPage />, '/usagers/:id'),
          guarded('/usagers', <PersonExportPage />, '/usagers/:id/export'),
          guarded('/usagers', <MandatePrintPage />, '/usagers/:id/mandats/:mandateId/imprimer'),
          guarded('/boite-sms', <SmsOutboxPage />),
          guarded('/saisines', <RequestsPage />),
          guarded('/saisines/nouvelle', <NewRequestPage />),
          guarded('/saisines', <ReceiptPage />, '/saisines/:requestId/recepisse'),
          guarded('/boite-mail', <MailOutboxPage />),
          guarded('/referents', <ReferentsPage />),
          guarded('/membres', <MembersPage />),
          guarded('/journal', <AuditPage />),
          guarded('/jetons', <TokensPage />),
          guarded('/organisations/saisines', <InboxPage />, '/organisations/:organisationId/saisines'),
          guarded('/organisations/saisines/parametres', <RequestSettingsPage />, '/organisations/:organisationId/saisines/parametres'),
          guarded('/saisines/:requestId', <RequestThreadPage />),
          guarded('/fiches', <SheetSearchPage />),
          guarded('/fiches', <NewSheetPage />, '/fiches/nouvelle'),
          guarded('/fiches', <ProposalsPage />, '/fiches/propositions'),
          guarded('/fiches/import', <SheetImportPage />),
          guarded('/fiches', <SheetPage />, '/fiches/:sheetId'),
          guarded('/fiches', <EditSheetPage />, '/fiches/:sheetId/modifier'),
          guarded('/fiches', <SheetProposePage />, '/fiches/:sheetId/proposer'),
          guarded('/fiches', <SheetHistoryPage />, '/fiches/:sheetId/historique'),
          guarded('/observatoire', <ObservatoryPage />),
          guarded('/observatoire/chiffres-cles', <KeyFiguresPage />),
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
