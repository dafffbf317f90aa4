import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { CreateOrganisationBody, type OrganisationView } from '../../../contracts/network.ts';
import { api } from '../../api/client.ts';
import { fieldState, formText, useValidatedForm } from '../../components/form.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { networkKeys } from './queries.ts';

export function OrganisationForm({ territoryId }: { territoryId: string }) {
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (body: z.infer<typeof CreateOrganisationBody>) =>
      api.post<OrganisationView>(`/api/territories/${territoryId}/organisations`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: networkKeys.organisations(territoryId) }),
  });
  const { errors, onSubmit } = useValidatedForm(
    CreateOrganisationBody,
    (form) => {
      const code = formText(form, 'nationalCode').trim();
      return { name: formText(form, 'name'), acronym: formText(form, 'acronym'), nationalCode: code ? code.toUpperCase() : null };
    },
    (body, form) => create.mutate(body, { onSuccess: () => form.reset() }),
  );
  return (
    <form noValidate className="fr-col-12 fr-col-md-8 fr-px-0" onSubmit={onSubmit}>
      {create.isSuccess && (
        <Alert className="fr-mb-3w" severity="success" small role="status" description={`Partenaire « ${create.data.acronym} » ajouté.`} />
      )}
      <ProblemAlert error={create.error} />
      <Input label="Nom" nativeInputProps={{ name: 'name', required: true }} {...fieldState('name', errors, create.error)} />
      <Input
        label="Sigle"
        hintText="Par exemple : CAF, CPAM"
        nativeInputProps={{ name: 'acronym', required: true }}
        {...fieldState('acronym', errors, create.error)}
      />
      <Input
        label="Code du réseau national (facultatif)"
        hintText="Majuscules et tirets bas, par exemple : CAF, FRANCE_TRAVAIL"
        nativeInputProps={{ name: 'nationalCode' }}
        {...fieldState('nationalCode', errors, create.error)}
      />
      <Button type="submit" disabled={create.isPending}>
        Ajouter le partenaire
      </Button>
    </form>
  );
}
