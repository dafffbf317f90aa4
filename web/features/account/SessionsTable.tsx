import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Table } from '@codegouvfr/react-dsfr/Table.js';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionView } from '../../../contracts/accounts.ts';
import { api } from '../../api/client.ts';
import { describeUserAgent, formatDateTime } from '../../components/format.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';

const key = ['account', 'sessions'];

export function SessionsTable() {
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: key, queryFn: () => api.get<SessionView[]>('/api/account/sessions') });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete(`/api/account/sessions/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  return (
    <QueryState query={sessions}>
      {(rows) => (
        <>
          <ProblemAlert error={revoke.error} />
          <Table
            caption="Vos sessions ouvertes"
            noCaption
            headers={['Appareil', 'Adresse IP', 'Connexion', 'Dernière activité', 'Expire le', 'Action']}
            data={rows.map((s) => [
              <span key="device">
                {describeUserAgent(s.userAgent)} {s.method === 'oidc' ? '(ProConnect)' : ''}
                {s.current && (
                  <Badge small severity="info" className="fr-ml-1w">
                    Cette session
                  </Badge>
                )}
              </span>,
              s.ip ?? '—',
              formatDateTime(s.createdAt),
              formatDateTime(s.lastSeenAt),
              formatDateTime(s.expiresAt),
              s.current ? (
                '—'
              ) : (
                <Button
                  key="revoke"
                  size="small"
                  priority="secondary"
                  disabled={revoke.isPending}
                  onClick={() => revoke.mutate(s.id)}
                  title={`Fermer la session ${describeUserAgent(s.userAgent)} ouverte le ${formatDateTime(s.createdAt)}`}
                >
                  Fermer
                </Button>
              ),
            ])}
          />
        </>
      )}
    </QueryState>
  );
}
