import { Tile } from '@codegouvfr/react-dsfr/Tile.js';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { useInboxCounts } from './queries.ts';

/** The inbox's path of a partner member's organisation. */
export const inboxPath = (organisationId: string) => `/organisations/${organisationId}/saisines`;

/** The home tile of a partner referent or manager: how many new requests wait in their organisation's inbox. */
export function InboxTile({ organisationId }: { organisationId: string }) {
  const territoryId = useTerritoryId();
  const counts = useInboxCounts(territoryId, organisationId);
  const fresh = counts.data?.nouvelles;
  const mine = counts.data?.miennes;
  const desc =
    fresh === undefined
      ? 'Les saisines des lieux d’accueil'
      : `${fresh === 0 ? 'Aucune nouvelle saisine' : fresh === 1 ? '1 nouvelle saisine' : `${fresh} nouvelles saisines`}${
          mine ? ` · ${mine} prise${mine > 1 ? 's' : ''} en charge par vous` : ''
        }`;
  return (
    <div className="fr-col-12 fr-col-md-6 fr-col-lg-4">
      <Tile title="Boîte de réception" desc={desc} linkProps={{ to: inboxPath(organisationId) }} enlargeLinkOrButton titleAs="h3" small />
    </div>
  );
}
