import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { z } from 'zod';
import { ContactPointKindLabels, ContactPointKinds, type ContactPointView, CreateContactPointBody } from '../../../contracts/network.ts';
import { api } from '../../api/client.ts';
import { fieldState, formText, useValidatedForm } from '../../components/form.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { networkKeys } from './queries.ts';

type Body = z.infer<typeof CreateContactPointBody>;

/** Creates a contact point with its name, kind and commune; the rest is filled in on its page. */
export function ContactPointForm({ territoryId }: { territoryId: string }) {
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (body: Body) => api.post<ContactPointView>(`/api/territories/${territoryId}/contact-points`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: networkKeys.contactPoints(territoryId) }),
  });
  const idPrefix = 'lieu-nouveau';
  const { errors, onSubmit } = useValidatedForm(
    CreateContactPointBody,
    (form) => {
      const insee = formText(form, 'inseeCode').trim();
      return {
        name: formText(form, 'name'),
        kind: formText(form, 'kind'),
        commune: formText(form, 'commune'),
        inseeCode: insee ? insee.toUpperCase() : null,
      };
    },
    (body, form) => save.mutate(body, { onSuccess: () => form.reset() }),
  );
  return (
    <form noValidate className="fr-col-12 fr-col-md-8 fr-px-0" onSubmit={onSubmit}>
      {save.isSuccess && (
        <SuccessAlert>
          Lieu « {save.data.name} » ajouté. <Link to={`/reseau/lieux/${save.data.id}`}>Compléter sa fiche</Link> (adresse, horaires,
          partenaires servis).
        </SuccessAlert>
      )}
      <ProblemAlert error={save.error} />
      <Input
        label="Nom du lieu"
        nativeInputProps={{ id: `${idPrefix}-nom`, name: 'name', required: true }}
        {...fieldState('name', errors, save.error)}
      />
      <Select
        label="Type de lieu"
        nativeSelectProps={{ id: `${idPrefix}-type`, name: 'kind', required: true, defaultValue: '' }}
        {...fieldState('kind', errors, save.error)}
      >
        <option value="" disabled>
          Choisissez un type
        </option>
        {ContactPointKinds.map((kind) => (
          <option key={kind} value={kind}>
            {ContactPointKindLabels[kind]}
          </option>
        ))}
      </Select>
      <Input
        label="Commune"
        nativeInputProps={{ id: `${idPrefix}-commune`, name: 'commune', required: true }}
        {...fieldState('commune', errors, save.error)}
      />
      <Input
        label="Code INSEE de la commune (facultatif)"
        hintText="5 caractères, par exemple : 61060"
        nativeInputProps={{ id: `${idPrefix}-insee`, name: 'inseeCode' }}
        {...fieldState('inseeCode', errors, save.error)}
      />
      <Button type="submit" disabled={save.isPending}>
        Ajouter le lieu
      </Button>
    </form>
  );
}
