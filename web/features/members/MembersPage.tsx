import { PageTitle } from '../../components/PageTitle.tsx';
import { useSession, useTerritoryId } from '../../session/SessionContext.tsx';
import { InviteForm } from './InviteForm.tsx';
import { MembersTable } from './MembersTable.tsx';

/** The people of the territory the current role may see, and the invitation form for those who may invite. */
export function MembersPage() {
  const territoryId = useTerritoryId();
  const { context, role } = useSession();
  const canInvite = role === 'coordinator' || role === 'manager';
  const intro =
    role === 'coordinator'
      ? 'Toutes les personnes qui ont un rôle dans le territoire.'
      : role === 'agent'
        ? 'Les personnes de votre lieu d’accueil.'
        : 'Les personnes de votre organisme dans ce territoire.';
  return (
    <>
      <PageTitle>Membres</PageTitle>
      <p>{intro}</p>
      <MembersTable territoryId={territoryId} canManage={canInvite} />
      {canInvite && context.kind === 'membership' && (
        <section className="fr-mt-6w" aria-labelledby="titre-invitation">
          <h2 id="titre-invitation" className="fr-h4">
            Inviter une personne
          </h2>
          <InviteForm territoryId={territoryId} membership={context.membership} />
        </section>
      )}
    </>
  );
}
