import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { CreateApiTokenBody, type CreatedApiToken } from '../../../contracts/members.ts';
import { api } from '../../api/client.ts';
import { fieldState, formText, useValidatedForm } from '../../components/form.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useOrganisations } from '../network/queries.ts';
import { tokensKey } from './queries.ts';

type Created = z.infer<typeof CreatedApiToken>;

export function CreateTokenForm(props: {
  territoryId: string;
  ownOrganisation: { id: string; name: string; acronym: string } | null;
  onCreated: (token: Created) => void;
}) {
  const { territoryId, ownOrganisation } = props;
  const organisations = useOrganisations(territoryId);
  const choices = ownOrganisation ? [ownOrganisation] : (organisations.data ?? []);
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (body: z.input<typeof CreateApiTokenBody>) => api.post<Created>(`/api/territories/${territoryId}/api-tokens`, body),
    onSuccess: async (token) => {
      await queryClient.invalidateQueries({ queryKey: tokensKey(territoryId) });
      props.onCreated(token);
    },
  });
  const { errors, onSubmit } = useValidatedForm(
    CreateApiTokenBody,
    (form) => ({
      organisationId: formText(form, 'organisationId'),
      name: formText(form, 'name'),
      expiresInDays: Number(formText(form, 'expiresInDays')),
    }),
    (body, form) => create.mutate(body, { onSuccess: () => form.reset() }),
  );
  return (
    <form noValidate className="fr-col-12 fr-col-md-8 fr-px-0" onSubmit={onSubmit}>
      <ProblemAlert error={create.error} />
      <Select
        label="Partenaire"
        nativeSelectProps={{ name: 'organisationId', defaultValue: ownOrganisation?.id ?? '' }}
        {...fieldState('organisationId', errors, create.error)}
      >
        <option value="" disabled>
          Choisissez un partenaire
        </option>
        {choices.map((o) => (
          <option key={o.id} value={o.id}>
            {o.acronym} — {o.name}
          </option>
        ))}
      </Select>
      <Input
        label="Nom du jeton"
        hintText="Pour le reconnaître, par exemple : Logiciel de gestion des demandes"
        nativeInputProps={{ name: 'name', required: true }}
        {...fieldState('name', errors, create.error)}
      />
      <Input
        label="Durée de validité (jours)"
        hintText="Entre 1 et 366 jours"
        nativeInputProps={{ name: 'expiresInDays', type: 'number', min: 1, max: 366, defaultValue: 90, required: true }}
        {...fieldState('expiresInDays', errors, create.error)}
      />
      <Button type="submit" disabled={create.isPending}>
        Créer le jeton
      </Button>
    </form>
  );
}
