import { Table } from '@codegouvfr/react-dsfr/Table.js';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useTerritories } from '../network/queries.ts';
import { CreateTerritoryForm } from './CreateTerritoryForm.tsx';

/** The platform administrator's home: every territory, and a form to open a new one. */
export function AdminHome() {
  const territories = useTerritories();
  return (
    <>
      <PageTitle title="Accueil">Administration de la plateforme</PageTitle>
      <section className="fr-mb-6w" aria-labelledby="titre-territoires">
        <h2 id="titre-territoires" className="fr-h4">
          Territoires
        </h2>
        <QueryState query={territories}>
          {(rows) =>
            rows.length ? (
              <Table
                caption="Territoires de la plateforme"
                noCaption
                headers={['Nom', 'Identifiant', 'Département', 'Région', 'Fuseau horaire']}
                data={rows.map((t) => [t.name, t.slug, t.departmentCode, t.regionCode, t.timezone])}
              />
            ) : (
              <p>Aucun territoire pour l’instant.</p>
            )
          }
        </QueryState>
      </section>
      <section aria-labelledby="titre-nouveau-territoire">
        <h2 id="titre-nouveau-territoire" className="fr-h4">
          Ouvrir un territoire
        </h2>
        <CreateTerritoryForm />
      </section>
    </>
  );
}
