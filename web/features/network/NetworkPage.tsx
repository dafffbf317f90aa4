import { Tabs } from '@codegouvfr/react-dsfr/Tabs.js';
import { Link } from 'react-router';
import { PageTitle } from '../../components/PageTitle.tsx';
import { useSession, useTerritoryId } from '../../session/SessionContext.tsx';
import { ContactPointsPanel } from './ContactPointsPanel.tsx';
import { OrganisationsPanel } from './OrganisationsPanel.tsx';

/** The territory's network: contact points and partner organisations (editable by the coordination). */
export function NetworkPage() {
  const territoryId = useTerritoryId();
  const { role } = useSession();
  const canEdit = role === 'coordinator';
  return (
    <>
      <PageTitle>Réseau du territoire</PageTitle>
      {!canEdit && <p>Consultation seule : la coordination du territoire tient cette liste à jour.</p>}
      {canEdit && (
        <p>
          <Link className="fr-link fr-icon-upload-line fr-link--icon-left" to="/reseau/import">
            Importer / exporter (liste ANCT, data·inclusion)
          </Link>
        </p>
      )}
      <Tabs
        label="Réseau du territoire"
        tabs={[
          { label: 'Lieux d’accueil', content: <ContactPointsPanel territoryId={territoryId} canEdit={canEdit} /> },
          { label: 'Partenaires', content: <OrganisationsPanel territoryId={territoryId} canEdit={canEdit} /> },
        ]}
      />
    </>
  );
}
