import { Table } from '@codegouvfr/react-dsfr/Table.js';
import { Link } from 'react-router';
import { ContactPointKindLabels } from '../../../contracts/network.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { ContactPointForm } from './ContactPointForm.tsx';
import { useContactPoints } from './queries.ts';

export function ContactPointsPanel({ territoryId, canEdit }: { territoryId: string; canEdit: boolean }) {
  const contactPoints = useContactPoints(territoryId);
  return (
    <>
      <h2 className="fr-h4">Lieux d’accueil</h2>
      <QueryState query={contactPoints}>
        {(rows) =>
          rows.length ? (
            <Table
              caption="Lieux d’accueil du territoire"
              noCaption
              fixed
              headers={['Nom', 'Type', 'Commune', 'Code INSEE', ...(canEdit ? ['Action'] : [])]}
              data={rows.map((cp) => [
                cp.name,
                ContactPointKindLabels[cp.kind],
                cp.commune,
                cp.inseeCode ?? '—',
                ...(canEdit
                  ? [
                      <Link key="edit" to={`/reseau/lieux/${cp.id}`} className="fr-link" title={`Modifier ${cp.name}`}>
                        Modifier
                      </Link>,
                    ]
                  : []),
              ])}
            />
          ) : (
            <p>Aucun lieu d’accueil pour l’instant.</p>
          )
        }
      </QueryState>
      {canEdit && (
        <section className="fr-mt-4w" aria-labelledby="titre-nouveau-lieu">
          <h3 id="titre-nouveau-lieu" className="fr-h5">
            Ajouter un lieu d’accueil
          </h3>
          <ContactPointForm territoryId={territoryId} />
        </section>
      )}
    </>
  );
}
