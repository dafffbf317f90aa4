import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { PersonView } from '../../../contracts/people.ts';
import { api } from '../../api/client.ts';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useSession, useTerritoryId } from '../../session/SessionContext.tsx';
import { useMandates } from '../mandates/queries.ts';
import { useOrganisations } from '../network/queries.ts';
import { personName } from '../people/queries.ts';
import { useContactPointChoice } from '../visits/contact-point-choice.ts';
import { useTaxonomy } from '../visits/queries.ts';
import { NewRequestForm } from './NewRequestForm.tsx';

/** « Saisir un partenaire » (`?personId=&visitId=&organisationId=`): the agent escalates a question to a partner. */
export function NewRequestPage() {
  const { me, context } = useSession();
  const territoryId = useTerritoryId();
  const [params] = useSearchParams();
  const personId = params.get('personId') ?? '';
  const visitId = params.get('visitId') ?? undefined;
  const { places, current, choose } = useContactPointChoice(me, context, territoryId);
  const person = useQuery({
    queryKey: ['territory', territoryId, 'people', personId, 'saisine'],
    queryFn: () => api.get<PersonView>(`/api/territories/${territoryId}/people/${personId}?screen=saisine`),
    enabled: !!personId,
  });
  const mandates = useMandates(territoryId, personId, !!personId);
  const organisations = useOrganisations(territoryId);
  const taxonomy = useTaxonomy(territoryId);
  const who = person.data ? personName(person.data) : null;
  return (
    <>
      <Breadcrumb
        currentPageLabel="Nouvelle saisine"
        homeLinkProps={{ to: '/' }}
        segments={[
          ...(personId ? [{ label: who ?? 'Fiche', linkProps: { to: `/usagers/${personId}` } }] : []),
          { label: 'Saisines', linkProps: { to: '/saisines' } },
        ]}
      />
      <PageTitle>Saisir un partenaire</PageTitle>
      <p>
        La question est transmise au partenaire, qui répond dans un délai de quelques jours ouvrés. La personne reçoit un récépissé avec une
        référence et un code pour suivre sa demande. {who && <strong>{`Pour : ${who}`}</strong>}
      </p>
      {!current ? (
        <p>Vous n’êtes agent d’aucun lieu d’accueil de ce territoire : demandez à votre coordination de vous y ajouter.</p>
      ) : (
        <QueryState query={organisations}>
          {(orgs) => (
            <QueryState query={taxonomy}>
              {(tax) =>
                personId && (person.isPending || mandates.isPending) ? (
                  <Loading />
                ) : person.isError || mandates.isError ? (
                  <ProblemAlert error={person.error ?? mandates.error} />
                ) : orgs.length === 0 ? (
                  <p>
                    Aucun partenaire n’est encore enregistré sur ce territoire. <Link to="/reseau">Voir le réseau</Link>
                  </p>
                ) : (
                  <NewRequestForm
                    territoryId={territoryId}
                    place={current}
                    places={places}
                    onChoosePlace={choose}
                    organisations={orgs}
                    themes={tax.themes}
                    person={person.data}
                    mandates={mandates.data?.items ?? []}
                    visitId={visitId}
                    initialOrganisationId={params.get('organisationId') ?? ''}
                  />
                )
              }
            </QueryState>
          )}
        </QueryState>
      )}
    </>
  );
}
