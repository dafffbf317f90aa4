import { useState } from 'react';
import { Link } from 'react-router';
import type { z } from 'zod';
import type { CreatedApiToken } from '../../../contracts/members.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { useSession, useTerritoryId } from '../../session/SessionContext.tsx';
import { CreateTokenForm } from './CreateTokenForm.tsx';
import { NewTokenNotice } from './NewTokenNotice.tsx';
import { TokensTable } from './TokensTable.tsx';

/** API tokens of the partners' information systems: list, create (shown once), revoke. */
export function TokensPage() {
  const territoryId = useTerritoryId();
  const { context } = useSession();
  const [created, setCreated] = useState<z.infer<typeof CreatedApiToken> | null>(null);
  const ownOrganisation = context.kind === 'membership' && context.membership.role === 'manager' ? context.membership.organisation : null;
  return (
    <>
      <PageTitle>Jetons d’API</PageTitle>
      <p>
        Un jeton permet au système d’information d’un partenaire d’appeler l’API de Relais pour ce territoire. Il n’est affiché qu’une fois,
        à sa création ; révoquez-le dès qu’il n’est plus utilisé.
      </p>
      <p>
        Pour que ce système soit prévenu des événements des saisines du partenaire (webhooks signés), déclarez son adresse depuis{' '}
        {ownOrganisation ? (
          <Link to={`/reseau/partenaires/${ownOrganisation.id}/webhooks`}>la page des webhooks de {ownOrganisation.acronym}</Link>
        ) : (
          <>
            la page du partenaire, dans <Link to="/reseau">Réseau</Link>
          </>
        )}
        .
      </p>
      {created && <NewTokenNotice token={created} onDismiss={() => setCreated(null)} />}
      <TokensTable territoryId={territoryId} />
      <section className="fr-mt-6w" aria-labelledby="titre-nouveau-jeton">
        <h2 id="titre-nouveau-jeton" className="fr-h4">
          Créer un jeton
        </h2>
        <CreateTokenForm territoryId={territoryId} ownOrganisation={ownOrganisation} onCreated={setCreated} />
      </section>
    </>
  );
}
