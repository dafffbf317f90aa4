import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { CreateWebhookBody, type WebhookWithSecret, webhookEventLabels, webhookEventTypes } from '../../../contracts/webhooks.ts';
import { api } from '../../api/client.ts';
import { fieldState, formText, useValidatedForm } from '../../components/form.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { webhookKeys, webhooksPath } from './queries.ts';

type Created = z.infer<typeof WebhookWithSecret>;
const subscribable = webhookEventTypes.filter((e) => e !== 'ping');

export function CreateWebhookForm(props: { territoryId: string; organisationId: string; onCreated: (webhook: Created) => void }) {
  const { territoryId, organisationId } = props;
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (body: z.input<typeof CreateWebhookBody>) => api.post<Created>(webhooksPath(territoryId, organisationId), body),
    onSuccess: async (webhook) => {
      await queryClient.invalidateQueries({ queryKey: webhookKeys.list(territoryId, organisationId) });
      props.onCreated(webhook);
    },
  });
  const { errors, onSubmit } = useValidatedForm(
    CreateWebhookBody,
    (form) => ({ url: formText(form, 'url').trim(), events: form.getAll('events').map(String) }),
    (body, form) => create.mutate(body, { onSuccess: () => form.reset() }),
  );
  const eventsError = errors.events ?? undefined;
  return (
    <form noValidate className="fr-col-12 fr-col-md-8 fr-px-0" onSubmit={onSubmit}>
      <ProblemAlert error={create.error} />
      <Input
        label="Adresse du webhook"
        hintText="Adresse https:// publique du système d’information du partenaire, par exemple https://si.partenaire.fr/relais/evenements"
        nativeInputProps={{ name: 'url', type: 'url', required: true, autoComplete: 'off' }}
        {...fieldState('url', errors, create.error)}
      />
      <Checkbox
        legend="Événements envoyés"
        state={eventsError ? 'error' : 'default'}
        stateRelatedMessage={eventsError}
        options={subscribable.map((type) => ({
          label: webhookEventLabels[type],
          hintText: type,
          nativeInputProps: { name: 'events', value: type, defaultChecked: true },
        }))}
      />
      <Button type="submit" disabled={create.isPending}>
        Ajouter le webhook
      </Button>
    </form>
  );
}
