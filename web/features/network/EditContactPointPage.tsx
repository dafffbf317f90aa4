import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { useNavigate, useParams } from 'react-router';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { ContactPointForm } from './ContactPointForm.tsx';
import { useContactPoint } from './queries.ts';

export function EditContactPointPage() {
  const territoryId = useTerritoryId();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const contactPoint = useContactPoint(territoryId, id);
  return (
    <>
      <Breadcrumb
        currentPageLabel="Modifier un lieu d’accueil"
        homeLinkProps={{ to: '/' }}
        segments={[{ label: 'Réseau', linkProps: { to: '/reseau' } }]}
      />
      <PageTitle>Modifier un lieu d’accueil</PageTitle>
      <QueryState query={contactPoint}>
        {(cp) => <ContactPointForm territoryId={territoryId} existing={cp} onSaved={() => void navigate('/reseau')} />}
      </QueryState>
    </>
  );
}
