import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Table } from '@codegouvfr/react-dsfr/Table.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useOrganisations } from '../network/queries.ts';
import { tokensKey, useApiTokens } from './queries.ts';

export function TokensTable({ territoryId }: { territoryId: string }) {
  const tokens = useApiTokens(territoryId);
  const organisations = useOrganisations(territoryId);
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete(`/api/territories/${territoryId}/api-tokens/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKey(territoryId) }),
  });
  const now = Date.now();
  return (
    <QueryState query={tokens}>
      {(rows) => (
        <>
          <ProblemAlert error={revoke.error} />
          {rows.length ? (
            <Table
              caption="Jetons d’API"
              noCaption
              headers={['Nom', 'Partenaire', 'Début du jeton', 'Créé le', 'Expire le', 'Dernière utilisation', 'État', 'Action']}
              data={rows.map((t) => {
                const expired = new Date(t.expiresAt).getTime() <= now;
                const state = t.revokedAt ? 'Révoqué' : expired ? 'Expiré' : 'Actif';
                return [
                  t.name,
                  organisations.data?.find((o) => o.id === t.organisationId)?.acronym ?? '—',
                  <code key="prefix">{t.prefix}…</code>,
                  formatDate(t.createdAt),
                  formatDate(t.expiresAt),
                  formatDateTime(t.lastUsedAt),
                  <Badge key="state" small noIcon severity={state === 'Actif' ? 'success' : 'error'}>
                    {state}
                  </Badge>,
                  state === 'Actif' ? (
                    <Button
                      key="revoke"
                      size="small"
                      priority="secondary"
                      disabled={revoke.isPending}
                      onClick={() => revoke.mutate(t.id)}
                      title={`Révoquer le jeton ${t.name}`}
                    >
                      Révoquer
                    </Button>
                  ) : (
                    '—'
                  ),
                ];
              })}
            />
          ) : (
            <p>Aucun jeton pour l’instant.</p>
          )}
        </>
      )}
    </QueryState>
  );
}
