import { Footer } from '@codegouvfr/react-dsfr/Footer.js';
import { SkipLinks } from '@codegouvfr/react-dsfr/SkipLinks.js';
import { Outlet } from 'react-router';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useMe } from '../../session/session.ts';
import { AppHeader } from './AppHeader.tsx';

/** The frame of every page: skip links, DSFR header and footer around the page's content. */
export function AppLayout() {
  const me = useMe();
  return (
    <>
      <SkipLinks
        links={[
          { label: 'Contenu', anchor: '#contenu' },
          { label: 'Menu', anchor: '#en-tete' },
          { label: 'Pied de page', anchor: '#pied-de-page' },
        ]}
      />
      <AppHeader me={me.data} />
      <main id="contenu" tabIndex={-1} className="fr-container fr-py-5w relais-main">
        {me.isPending ? <Loading /> : me.isError ? <ProblemAlert error={me.error} /> : <Outlet />}
      </main>
      <Footer
        id="pied-de-page"
        accessibility="non compliant"
        contentDescription="Relais est l’espace de travail partagé d’un réseau de lieux d’accueil France Services et des partenaires qui répondent aux demandes des usagers."
        bottomItems={[{ text: 'Documentation de l’API', linkProps: { href: '/api/docs' } }]}
      />
    </>
  );
}
