import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Tag } from '@codegouvfr/react-dsfr/Tag.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import type { z } from 'zod';
import type { WebhookEventType } from '../../../contracts/webhooks.ts';
import {
  type WebhookDeliveryView,
  type WebhookWithSecret,
  webhookDeliveryLabels,
  webhookEventLabels,
} from '../../../contracts/webhooks.ts';
import { api } from '../../api/client.ts';
import { formatDate } from '../../components/format.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { useOrganisationDetails } from '../partners/queries.ts';
import { CreateWebhookForm } from './CreateWebhookForm.tsx';
import { DeliveriesTable } from './DeliveriesTable.tsx';
import { NewSecretNotice } from './NewSecretNotice.tsx';
import { useWebhooks, type Webhook, webhookKeys, webhooksPath } from './queries.ts';

type WithSecret = z.infer<typeof WebhookWithSecret>;

/** A partner's webhooks: its information system is told of its requests' events, signed with a secret shown once. */
export function WebhooksPage() {
  const territoryId = useTerritoryId();
  const { id: organisationId = '' } = useParams();
  const organisation = useOrganisationDetails(territoryId, organisationId);
  const webhooks = useWebhooks(territoryId, organisationId);
  const [secret, setSecret] = useState<WithSecret | null>(null);
  const acronym = organisation.data?.acronym ?? 'Partenaire';
  return (
    <>
      <Breadcrumb
        currentPageLabel="Webhooks"
        homeLinkProps={{ to: '/' }}
        segments={[
          { label: 'Réseau', linkProps: { to: '/reseau' } },
          { label: acronym, linkProps: { to: `/reseau/partenaires/${organisationId}` } },
        ]}
      />
      <PageTitle>{`Webhooks — ${acronym}`}</PageTitle>
      <p>
        Un webhook prévient le système d’information du partenaire de chaque événement de ses saisines (nouvelle saisine, changement de
        statut, message, réorientation) par un appel HTTPS signé. L’appel ne contient aucune donnée personnelle : seulement l’identifiant,
        la référence et le statut de la saisine ; le système lit le reste par l’API avec son jeton. La vérification de la signature est
        décrite dans la documentation de l’API.
      </p>
      {secret && <NewSecretNotice url={secret.url} secret={secret.secret} onDismiss={() => setSecret(null)} />}
      <QueryState query={webhooks}>
        {(rows) =>
          rows.length ? (
            <ul className="fr-raw-list">
              {rows.map((w) => (
                <li key={w.id} className="fr-mb-3w">
                  <WebhookItem territoryId={territoryId} webhook={w} onSecret={setSecret} />
                </li>
              ))}
            </ul>
          ) : (
            <p>Aucun webhook pour l’instant.</p>
          )
        }
      </QueryState>
      <section className="fr-mt-6w" aria-labelledby="titre-nouveau-webhook">
        <h2 id="titre-nouveau-webhook" className="fr-h4">
          Ajouter un webhook
        </h2>
        <CreateWebhookForm territoryId={territoryId} organisationId={organisationId} onCreated={setSecret} />
      </section>
    </>
  );
}

function WebhookItem({ territoryId, webhook: w, onSecret }: { territoryId: string; webhook: Webhook; onSecret: (s: WithSecret) => void }) {
  const [showLog, setShowLog] = useState(false);
  const [tested, setTested] = useState<z.infer<typeof WebhookDeliveryView> | null>(null);
  const queryClient = useQueryClient();
  const path = `${webhooksPath(territoryId, w.organisationId)}/${w.id}`;
  const refresh = () => queryClient.invalidateQueries({ queryKey: webhookKeys.list(territoryId, w.organisationId) });
  const toggle = useMutation({ mutationFn: () => api.patch(path, { active: !w.active }), onSuccess: refresh });
  const rotate = useMutation({ mutationFn: () => api.post<WithSecret>(`${path}/rotate-secret`), onSuccess: onSecret });
  const remove = useMutation({ mutationFn: () => api.delete(path), onSuccess: refresh });
  const ping = useMutation({
    mutationFn: () => api.post<z.infer<typeof WebhookDeliveryView>>(`${path}/ping`),
    onSuccess: (delivery) => {
      setTested(delivery);
      return queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(territoryId, w.organisationId, w.id) });
    },
  });
  const error = toggle.error ?? rotate.error ?? remove.error ?? ping.error;
  return (
    <article className="fr-p-2w" style={{ border: '1px solid var(--border-default-grey)' }} aria-labelledby={`webhook-${w.id}`}>
      <h3 id={`webhook-${w.id}`} className="fr-h6 fr-mb-1v" style={{ wordBreak: 'break-all' }}>
        {w.url}{' '}
        <Badge small noIcon severity={w.active ? 'success' : 'warning'}>
          {w.active ? 'Actif' : 'Désactivé'}
        </Badge>
      </h3>
      <p className="fr-text--sm fr-mb-1v">Ajouté le {formatDate(w.createdAt)}</p>
      <ul className="fr-tags-group">
        {w.events.map((e) => (
          <li key={e}>
            <Tag small>{webhookEventLabels[e as WebhookEventType] ?? e}</Tag>
          </li>
        ))}
      </ul>
      <ProblemAlert error={error} />
      {tested && (
        <SuccessAlert>
          {`Test envoyé : ${webhookDeliveryLabels[tested.status]}${tested.lastStatusCode ? ` (HTTP ${tested.lastStatusCode})` : ''}${
            tested.lastError ? ` — ${tested.lastError}` : ''
          }`}
        </SuccessAlert>
      )}
      <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mt-1w">
        <li>
          <Button size="small" priority="secondary" disabled={!w.active || ping.isPending} onClick={() => ping.mutate()}>
            Envoyer un test
          </Button>
        </li>
        <li>
          <Button size="small" priority="secondary" aria-expanded={showLog} onClick={() => setShowLog(!showLog)}>
            {showLog ? 'Masquer le journal des envois' : 'Journal des envois'}
          </Button>
        </li>
        <li>
          <Button size="small" priority="secondary" disabled={toggle.isPending} onClick={() => toggle.mutate()}>
            {w.active ? 'Désactiver' : 'Réactiver'}
          </Button>
        </li>
        <li>
          <Button
            size="small"
            priority="tertiary"
            disabled={rotate.isPending}
            onClick={() => {
              if (window.confirm('Renouveler le secret ? L’ancien cessera aussitôt de signer les envois.')) rotate.mutate();
            }}
          >
            Renouveler le secret
          </Button>
        </li>
        <li>
          <Button
            size="small"
            priority="tertiary"
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm(`Supprimer le webhook ${w.url} et son journal des envois ?`)) remove.mutate();
            }}
          >
            Supprimer
          </Button>
        </li>
      </ul>
      {showLog && (
        <section className="fr-mt-2w" aria-label={`Journal des envois de ${w.url}`}>
          <DeliveriesTable territoryId={territoryId} organisationId={w.organisationId} webhookId={w.id} active={w.active} />
        </section>
      )}
    </article>
  );
}
