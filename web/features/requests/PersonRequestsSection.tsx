import { Link } from 'react-router';
import { useSession } from '../../session/SessionContext.tsx';
import { RequestTable } from './RequestsPage.tsx';

/** The person's requests on their file (open and closed), and « Saisir un partenaire » for the agents. */
export function PersonRequestsSection({ territoryId, personId }: { territoryId: string; personId: string }) {
  const { role } = useSession();
  return (
    <section className="fr-mt-4w" aria-labelledby="titre-saisines">
      <h2 id="titre-saisines" className="fr-h4">
        Saisines
      </h2>
      <RequestTable
        territoryId={territoryId}
        filters={{ open: 'non', personId }}
        caption="Saisines de la personne"
        showPerson={false}
        empty="Aucune saisine pour cette personne."
      />
      {role === 'agent' && (
        <p className="fr-mt-2w">
          <Link className="fr-btn fr-btn--secondary fr-btn--icon-left fr-icon-mail-line" to={`/saisines/nouvelle?personId=${personId}`}>
            Saisir un partenaire
          </Link>
        </p>
      )}
    </section>
  );
}
