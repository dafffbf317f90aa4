import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Table } from '@codegouvfr/react-dsfr/Table.js';
import { RoleLabels } from '../../../contracts/common.ts';
import type { MemberView } from '../../../contracts/members.ts';
import { formatDate } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { useContactPoints, useOrganisations } from '../network/queries.ts';
import { MemberActions } from './MemberActions.tsx';
import { useMembers } from './queries.ts';

const statusBadge: Record<MemberView['status'], { label: string; severity: 'success' | 'info' | 'error' }> = {
  active: { label: 'Actif', severity: 'success' },
  invited: { label: 'Invité', severity: 'info' },
  deactivated: { label: 'Désactivé', severity: 'error' },
};

export function MembersTable({ territoryId, canManage }: { territoryId: string; canManage: boolean }) {
  const members = useMembers(territoryId);
  const contactPoints = useContactPoints(territoryId);
  const organisations = useOrganisations(territoryId);
  const placeOf = (m: MemberView) => {
    if (m.contactPointId) return contactPoints.data?.find((cp) => cp.id === m.contactPointId)?.name ?? 'Lieu d’accueil';
    if (m.organisationId) return organisations.data?.find((o) => o.id === m.organisationId)?.acronym ?? 'Partenaire';
    return 'Tout le territoire';
  };
  return (
    <QueryState query={members}>
      {(rows) =>
        rows.length ? (
          <Table
            caption="Membres"
            noCaption
            headers={['Nom', 'Adresse e-mail', 'Rôle', 'Rattachement', 'Statut', 'Dernière activité', ...(canManage ? ['Actions'] : [])]}
            data={rows.map((m) => [
              m.displayName,
              m.email,
              RoleLabels[m.role],
              placeOf(m),
              <Badge key="status" small noIcon severity={statusBadge[m.status].severity}>
                {statusBadge[m.status].label}
              </Badge>,
              formatDate(m.lastActiveAt),
              ...(canManage ? [<MemberActions key="actions" territoryId={territoryId} member={m} />] : []),
            ])}
          />
        ) : (
          <p>Aucun membre visible.</p>
        )
      }
    </QueryState>
  );
}
