import { Link } from 'react-router';
import type { MembershipView } from '../../../contracts/accounts.ts';
import { ContactPointKindLabels } from '../../../contracts/network.ts';
import { LinkTiles } from '../../components/LinkTiles.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useSession } from '../../session/SessionContext.tsx';
import { useContactPoint } from '../network/queries.ts';
import { PendingVisits } from '../visits/PendingVisits.tsx';
import { useVisitQueue } from '../visits/useVisitQueue.ts';

/** An agent's home: their contact point and where to go from there. */
export function AgentHome({ membership }: { membership: MembershipView }) {
  const { me } = useSession();
  // Visits typed offline leave from here too when the connection comes back.
  const queue = useVisitQueue(me.user.id, { sync: true });
  return (
    <>
      <PageTitle title="Accueil">{`Bonjour ${me.user.displayName}`}</PageTitle>
      <PendingVisits queue={queue} />
      <p className="fr-mb-6w">
        <Link className="fr-btn fr-btn--lg fr-btn--icon-left fr-icon-add-line fr-mr-2w" to="/nouvel-accueil">
          Nouvel accueil
        </Link>
        <Link className="fr-btn fr-btn--lg fr-btn--secondary" to="/mes-accueils">
          Mes accueils du jour
        </Link>
      </p>
      <section className="fr-mb-6w" aria-labelledby="titre-lieu">
        <h2 id="titre-lieu" className="fr-h4">
          Votre lieu d’accueil
        </h2>
        {membership.contactPoint ? <ContactPointSummary territoryId={membership.territory.id} id={membership.contactPoint.id} /> : null}
      </section>
      <section aria-labelledby="titre-acces">
        <h2 id="titre-acces" className="fr-h4">
          Accès rapides
        </h2>
        <LinkTiles
          tiles={[
            { title: 'Saisines', desc: 'Les demandes transmises aux partenaires et leurs réponses', to: '/saisines' },
            { title: 'Votre équipe', desc: 'Les agents de votre lieu d’accueil', to: '/membres' },
            { title: 'Le réseau', desc: 'Lieux d’accueil et partenaires du territoire', to: '/reseau' },
            { title: 'Mon compte', desc: 'Mot de passe et sessions ouvertes', to: '/compte' },
          ]}
        />
      </section>
    </>
  );
}

function ContactPointSummary({ territoryId, id }: { territoryId: string; id: string }) {
  const query = useContactPoint(territoryId, id);
  return (
    <QueryState query={query}>
      {(cp) => (
        <div className="fr-card fr-card--no-arrow fr-p-3w">
          <p className="fr-h5 fr-mb-1w">{cp.name}</p>
          <p className="fr-mb-0">
            {ContactPointKindLabels[cp.kind]} — {cp.commune}
            {cp.inseeCode ? ` (code INSEE ${cp.inseeCode})` : ''}
          </p>
        </div>
      )}
    </QueryState>
  );
}
