import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Table } from '@codegouvfr/react-dsfr/Table.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type WebhookEventType, webhookDeliveryLabels, webhookEventLabels } from '../../../contracts/webhooks.ts';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../components/format.ts';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useDeliveries, webhookKeys, webhooksPath } from './queries.ts';

const severity = { livre: 'success', en_attente: 'info', echec: 'error' } as const;

/** The delivery log of one webhook: status badges, attempts, last answer; an event can be sent again. */
export function DeliveriesTable(props: { territoryId: string; organisationId: string; webhookId: string; active: boolean }) {
  const { territoryId, organisationId, webhookId } = props;
  const deliveries = useDeliveries(territoryId, organisationId, webhookId);
  const queryClient = useQueryClient();
  const redeliver = useMutation({
    mutationFn: (deliveryId: string) =>
      api.post(`${webhooksPath(territoryId, organisationId)}/${webhookId}/deliveries/${deliveryId}/redeliver`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(territoryId, organisationId, webhookId) }),
  });
  if (deliveries.isPending) return <Loading />;
  if (deliveries.isError) return <ProblemAlert error={deliveries.error} />;
  const rows = deliveries.data.pages.flatMap((p) => p.items);
  if (!rows.length) return <p>Aucun envoi pour l’instant.</p>;
  return (
    <>
      <ProblemAlert error={redeliver.error} />
      <Table
        caption="Journal des envois"
        noCaption
        headers={['Créé le', 'Événement', 'État', 'Essais', 'Dernière réponse', 'Livré le', 'Action']}
        data={rows.map((d) => [
          formatDateTime(d.createdAt),
          webhookEventLabels[d.eventType as WebhookEventType] ?? d.eventType,
          <Badge key="status" small noIcon severity={severity[d.status]}>
            {webhookDeliveryLabels[d.status]}
          </Badge>,
          String(d.attempts),
          d.lastStatusCode || d.lastError ? (
            <span key="answer" className="fr-text--sm">
              {d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : ''}
              {d.lastStatusCode && d.lastError ? ' — ' : ''}
              {d.lastError}
            </span>
          ) : (
            '—'
          ),
          formatDateTime(d.deliveredAt),
          <Button
            key="redeliver"
            size="small"
            priority="secondary"
            disabled={!props.active || redeliver.isPending}
            onClick={() => redeliver.mutate(d.id)}
            title={`Renvoyer l’événement du ${formatDateTime(d.createdAt)}`}
          >
            Renvoyer
          </Button>,
        ])}
      />
      {deliveries.hasNextPage && (
        <Button priority="tertiary" disabled={deliveries.isFetchingNextPage} onClick={() => deliveries.fetchNextPage()}>
          Envois plus anciens
        </Button>
      )}
    </>
  );
}
