import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { Table } from '@codegouvfr/react-dsfr/Table.js';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import type { z } from 'zod';
import { RoleLabels } from '../../../contracts/common.ts';
import type { AuditEventView } from '../../../contracts/members.ts';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../components/format.ts';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { auditEventLabels, labelOfEvent } from './event-labels.ts';

type Event = z.infer<typeof AuditEventView>;
interface Page {
  items: Event[];
  nextBefore: number | null;
}

/** What an event is about, in a few words, from its data. */
function describeData(event: Event): string {
  const data = event.data;
  const method = data.method === 'password' ? 'par mot de passe' : data.method === 'oidc' ? 'par ProConnect' : data.method;
  const role = typeof data.role === 'string' ? (RoleLabels[data.role as keyof typeof RoleLabels] ?? data.role) : undefined;
  const parts = [data.email, data.name, role, method, data.reason, data.code].filter((v) => typeof v === 'string');
  return parts.join(' · ') || '—';
}

/** The territory's security journal, newest first, filterable by type, paged with "Afficher plus". */
export function AuditPage() {
  const territoryId = useTerritoryId();
  const [params, setParams] = useSearchParams();
  const type = params.get('type') ?? '';
  const events = useInfiniteQuery({
    queryKey: ['territory', territoryId, 'audit', type],
    initialPageParam: null as number | null,
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams({ limit: '50' });
      if (type) query.set('type', type);
      if (pageParam) query.set('before', String(pageParam));
      return api.get<Page>(`/api/territories/${territoryId}/audit-events?${query}`);
    },
    getNextPageParam: (last) => last.nextBefore,
  });
  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageTitle>Journal de sécurité</PageTitle>
      <p>Connexions, invitations, changements de rôle et jetons d’API du territoire. Ce journal ne peut être ni modifié ni effacé.</p>
      <div className="fr-col-12 fr-col-md-6 fr-px-0">
        <Select
          label="Type d’événement"
          nativeSelectProps={{
            value: type,
            onChange: (e) => setParams(e.target.value ? { type: e.target.value } : {}, { replace: true }),
          }}
        >
          <option value="">Tous les événements</option>
          {Object.entries(auditEventLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </div>
      {events.isPending ? (
        <Loading />
      ) : events.isError ? (
        <ProblemAlert error={events.error} />
      ) : rows.length ? (
        <Table
          caption="Événements du journal"
          noCaption
          headers={['Date', 'Événement', 'Auteur', 'Détails', 'Adresse IP']}
          data={rows.map((e) => [
            formatDateTime(e.occurredAt),
            labelOfEvent(e.type),
            e.actorName ?? (e.actorTokenId ? 'Jeton d’API' : '—'),
            describeData(e),
            e.ip ?? '—',
          ])}
        />
      ) : (
        <p className="fr-mt-3w">Aucun événement{type ? ' de ce type' : ''}.</p>
      )}
      {events.hasNextPage && (
        <Button priority="secondary" onClick={() => void events.fetchNextPage()} disabled={events.isFetchingNextPage}>
          {events.isFetchingNextPage ? 'Chargement…' : 'Afficher plus d’événements'}
        </Button>
      )}
    </>
  );
}
