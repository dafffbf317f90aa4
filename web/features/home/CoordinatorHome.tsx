import type { MembershipView } from '../../../contracts/accounts.ts';
import { LinkTiles } from '../../components/LinkTiles.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { StatTile } from '../../components/StatTile.tsx';
import { useMembers } from '../members/queries.ts';
import { useContactPoints, useOrganisations } from '../network/queries.ts';

const count = (n: number | undefined) => (n === undefined ? '…' : n);

/** The coordinator's overview of the territory's network. */
export function CoordinatorHome({ membership }: { membership: MembershipView }) {
  const territoryId = membership.territory.id;
  const contactPoints = useContactPoints(territoryId);
  const organisations = useOrganisations(territoryId);
  const members = useMembers(territoryId);
  const people = members.data;
  const active = people?.filter((m) => m.status === 'active');
  const invited = people?.filter((m) => m.status === 'invited').length ?? 0;
  const agents = new Set(active?.filter((m) => m.role === 'agent').map((m) => m.userId)).size;
  return (
    <>
      <PageTitle title="Accueil">{`Territoire ${membership.territory.name}`}</PageTitle>
      <p className="fr-text--lead">Vue d’ensemble du réseau que vous coordonnez.</p>
      <ProblemAlert error={contactPoints.error ?? organisations.error ?? members.error} />
      <section className="fr-mb-4w" aria-labelledby="titre-chiffres">
        <h2 id="titre-chiffres" className="fr-h4">
          Le réseau en chiffres
        </h2>
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-4">
            <StatTile value={count(contactPoints.data?.length)} label="lieux d’accueil" />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <StatTile value={count(organisations.data?.length)} label="partenaires" />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <StatTile
              value={count(active ? new Set(active.map((m) => m.userId)).size : undefined)}
              label="membres actifs"
              detail={people ? `dont ${agents} agent(s) d’accueil ; ${invited} invitation(s) en attente` : undefined}
            />
          </div>
        </div>
      </section>
      <section aria-labelledby="titre-acces">
        <h2 id="titre-acces" className="fr-h4">
          Accès rapides
        </h2>
        <LinkTiles
          tiles={[
            { title: 'Réseau', desc: 'Lieux d’accueil et partenaires', to: '/reseau' },
            { title: 'Saisines', desc: 'Les demandes des lieux d’accueil aux partenaires', to: '/saisines' },
            { title: 'Membres', desc: 'Inviter, retirer un rôle, réactiver', to: '/membres' },
            { title: 'Journal de sécurité', desc: 'Connexions, invitations, jetons', to: '/journal' },
            { title: 'Jetons d’API', desc: 'Accès des systèmes des partenaires', to: '/jetons' },
          ]}
        />
      </section>
    </>
  );
}
