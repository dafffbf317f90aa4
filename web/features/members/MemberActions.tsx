import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { RoleLabels } from '../../../contracts/common.ts';
import type { MemberView } from '../../../contracts/members.ts';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSession } from '../../session/SessionContext.tsx';
import { membersKey } from './queries.ts';

/** Withdraw a role (after a confirmation) or reactivate a deactivated account. */
export function MemberActions({ territoryId, member }: { territoryId: string; member: MemberView }) {
  const { me } = useSession();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: membersKey(territoryId) });
  const revoke = useMutation({
    mutationFn: () => api.delete(`/api/territories/${territoryId}/memberships/${member.membershipId}`),
    onSuccess: refresh,
  });
  const reactivate = useMutation({
    mutationFn: () => api.post(`/api/territories/${territoryId}/members/${member.userId}/reactivate`),
    onSuccess: refresh,
  });
  const who = `${member.displayName} (${RoleLabels[member.role]})`;
  return (
    <div>
      <ProblemAlert error={revoke.error ?? reactivate.error} className="fr-mb-1w" />
      {member.status === 'deactivated' && (
        <Button size="small" priority="secondary" className="fr-mb-1w" onClick={() => reactivate.mutate()} title={`Réactiver ${who}`}>
          Réactiver
        </Button>
      )}
      {member.userId === me.user.id ? null : confirming ? (
        <>
          <Button
            size="small"
            className="fr-mr-1w fr-mb-1w"
            onClick={() => revoke.mutate()}
            title={`Confirmer le retrait du rôle de ${who}`}
          >
            Confirmer le retrait
          </Button>
          <Button size="small" priority="tertiary" onClick={() => setConfirming(false)}>
            Annuler
          </Button>
        </>
      ) : (
        <Button size="small" priority="tertiary" onClick={() => setConfirming(true)} title={`Retirer le rôle de ${who}`}>
          Retirer le rôle
        </Button>
      )}
    </div>
  );
}
