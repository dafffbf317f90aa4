import type { MembershipView } from '../../../contracts/accounts.ts';
import { RoleLabels } from '../../../contracts/common.ts';
import { type LinkTile, LinkTiles } from '../../components/LinkTiles.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { StatTile } from '../../components/StatTile.tsx';
import { useSession } from '../../session/SessionContext.tsx';
import { InboxTile } from '../inbox/InboxTile.tsx';
import { useMembers } from '../members/queries.ts';

/** A partner referent's or manager's home: their organisation and its people in the territory. */
export function PartnerHome({ membership }: { membership: MembershipView }) {
  const { me } = useSession();
  const members = useMembers(membership.territory.id);
  const org = membership.organisation;
  const tiles: LinkTile[] = [
    { title: 'Votre équipe', desc: `Les référents de ${org?.acronym ?? 'votre organisme'}`, to: '/membres' },
    { title: 'Le réseau', desc: 'Lieux d’accueil et partenaires du territoire', to: '/reseau' },
  ];
  if (membership.role === 'manager')
    tiles.push({ title: 'Jetons d’API', desc: 'Relier le système d’information de votre organisme', to: '/jetons' });
  tiles.push({ title: 'Mon compte', desc: 'Mot de passe et sessions ouvertes', to: '/compte' });
  return (
    <>
      <PageTitle title="Accueil">{`Bonjour ${me.user.displayName}`}</PageTitle>
      <section className="fr-mb-6w" aria-labelledby="titre-organisme">
        <h2 id="titre-organisme" className="fr-h4">
          {org ? `${org.name} (${org.acronym})` : 'Votre organisme'}
        </h2>
        <p>
          {RoleLabels[membership.role]} pour le territoire {membership.territory.name}.
        </p>
        {org && (
          <div className="fr-grid-row fr-grid-row--gutters fr-mb-2w">
            <InboxTile organisationId={org.id} />
          </div>
        )}
        <QueryState query={members}>
          {(rows) => {
            const ours = rows.filter((m) => m.organisationId === org?.id);
            return (
              <div className="fr-grid-row fr-grid-row--gutters">
                <div className="fr-col-12 fr-col-md-4">
                  <StatTile value={ours.filter((m) => m.status === 'active').length} label="membres actifs de votre organisme" />
                </div>
                <div className="fr-col-12 fr-col-md-4">
                  <StatTile value={ours.filter((m) => m.status === 'invited').length} label="invitations en attente" />
                </div>
              </div>
            );
          }}
        </QueryState>
      </section>
      <section aria-labelledby="titre-acces">
        <h2 id="titre-acces" className="fr-h4">
          Accès rapides
        </h2>
        <LinkTiles tiles={tiles} />
      </section>
    </>
  );
}
