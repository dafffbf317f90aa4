import { Table } from '@codegouvfr/react-dsfr/Table.js';
import { Link } from 'react-router';
import { QueryState } from '../../components/QueryState.tsx';
import { CatalogueForm } from '../partners/CatalogueForm.tsx';
import { OrganisationForm } from './OrganisationForm.tsx';
import { useOrganisations } from './queries.ts';

export function OrganisationsPanel({ territoryId, canEdit }: { territoryId: string; canEdit: boolean }) {
  const organisations = useOrganisations(territoryId);
  return (
    <>
      <h2 className="fr-h4">Partenaires</h2>
      <QueryState query={organisations}>
        {(rows) =>
          rows.length ? (
            <Table
              caption="Partenaires du territoire"
              noCaption
              fixed
              headers={['Sigle', 'Nom', 'Réseau national']}
              data={rows.map((o) => [
                <Link key={o.id} to={`/reseau/partenaires/${o.id}`}>
                  {o.acronym}
                </Link>,
                o.name,
                o.nationalCode ?? '—',
              ])}
            />
          ) : (
            <p>Aucun partenaire pour l’instant.</p>
          )
        }
      </QueryState>
      {canEdit && (
        <section className="fr-mt-4w" aria-labelledby="titre-catalogue">
          <h3 id="titre-catalogue" className="fr-h5">
            Ajouter un partenaire du catalogue national
          </h3>
          <CatalogueForm territoryId={territoryId} />
        </section>
      )}
      {canEdit && (
        <section className="fr-mt-4w" aria-labelledby="titre-nouveau-partenaire">
          <h3 id="titre-nouveau-partenaire" className="fr-h5">
            Ajouter un autre partenaire
          </h3>
          <OrganisationForm territoryId={territoryId} />
        </section>
      )}
    </>
  );
}
