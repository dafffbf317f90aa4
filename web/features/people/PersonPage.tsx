import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { PersonView } from '../../../contracts/people.ts';
import { ApiError } from '../../api/client.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { MandatesSection } from '../mandates/MandatesSection.tsx';
import { PersonRequestsSection } from '../requests/PersonRequestsSection.tsx';
import { ConsentSection } from './ConsentSection.tsx';
import { ContactsForm } from './ContactsForm.tsx';
import { HistorySection } from './HistorySection.tsx';
import { IdentifiersSection } from './IdentifiersSection.tsx';
import { PersonLifecycleActions } from './PersonLifecycleActions.tsx';
import { formatBirthDate, personName, usePerson } from './queries.ts';

/** A person's file: who they are, their identifiers (masked), what they were told and agreed to share. */
export function PersonPage() {
  const territoryId = useTerritoryId();
  const { id = '' } = useParams();
  const person = usePerson(territoryId, id);
  useGoToSurvivor(person.error);
  return (
    <>
      <Breadcrumb
        currentPageLabel={person.data ? personName(person.data) : 'Fiche'}
        homeLinkProps={{ to: '/' }}
        segments={[{ label: 'Usagers', linkProps: { to: '/usagers' } }]}
      />
      <QueryState query={person}>{(p) => <PersonContent territoryId={territoryId} person={p} />}</QueryState>
    </>
  );
}

function PersonContent({ territoryId, person: p }: { territoryId: string; person: PersonView }) {
  const [editing, setEditing] = useState(false);
  return (
    <>
      <PageTitle>{personName(p)}</PageTitle>
      <p className="fr-text--lg">
        {p.birthDate ? `Née ou né le ${formatBirthDate(p.birthDate)}` : 'Date de naissance non renseignée'}
        {p.commune ? ` · ${p.commune}` : ''}
      </p>
      {p.contactPoints.length > 0 && <p className="fr-text--sm">Fiche tenue par : {p.contactPoints.map((c) => c.name).join(', ')}</p>}
      <section aria-labelledby="titre-coordonnees">
        <h2 id="titre-coordonnees" className="fr-h4">
          Coordonnées
        </h2>
        {editing ? (
          <ContactsForm territoryId={territoryId} person={p} onDone={() => setEditing(false)} />
        ) : (
          <>
            <dl>
              <Detail term="Téléphone">{p.phone}</Detail>
              <Detail term="Adresse e-mail">{p.email}</Detail>
              <Detail term="Adresse">
                {[p.address, [p.postcode, p.commune].filter(Boolean).join(' ')].filter(Boolean).join(', ') || null}
              </Detail>
              <Detail term="Langue préférée">{p.preferredLanguage}</Detail>
            </dl>
            <Button priority="secondary" size="small" iconId="fr-icon-edit-line" onClick={() => setEditing(true)}>
              Modifier les coordonnées
            </Button>
          </>
        )}
      </section>
      <IdentifiersSection territoryId={territoryId} person={p} />
      <ConsentSection territoryId={territoryId} person={p} />
      <PersonRequestsSection territoryId={territoryId} personId={p.id} />
      <HistorySection territoryId={territoryId} personId={p.id} />
      <PersonLifecycleActions territoryId={territoryId} person={p} />
      <MandatesSection territoryId={territoryId} person={p} />
    </>
  );
}

/** A file merged into another answers 410 PERSON_MERGED with the survivor's id: go there. */
function useGoToSurvivor(error: unknown) {
  const navigate = useNavigate();
  const survivorId = error instanceof ApiError && error.code === 'PERSON_MERGED' ? error.extensions.survivorId : null;
  useEffect(() => {
    if (typeof survivorId === 'string') void navigate(`/usagers/${survivorId}`, { replace: true, state: { mergedFrom: true } });
  }, [survivorId, navigate]);
}

function Detail({ term, children }: { term: string; children: string | null }) {
  return (
    <div className="fr-mb-1w">
      <dt className="fr-text--bold fr-mb-0">{term}</dt>
      <dd className="fr-ml-0">{children || 'Non renseigné'}</dd>
    </div>
  );
}
