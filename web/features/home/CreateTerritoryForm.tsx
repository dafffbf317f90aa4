import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { CreateTerritoryBody, type TerritoryView } from '../../../contracts/network.ts';
import { api } from '../../api/client.ts';
import { fieldState, formText, useValidatedForm } from '../../components/form.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { networkKeys } from '../network/queries.ts';

export function CreateTerritoryForm() {
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (body: z.input<typeof CreateTerritoryBody>) => api.post<TerritoryView>('/api/territories', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: networkKeys.territories }),
  });
  const { errors, onSubmit } = useValidatedForm(
    CreateTerritoryBody,
    (form) => ({
      name: formText(form, 'name'),
      slug: formText(form, 'slug'),
      departmentCode: formText(form, 'departmentCode'),
      regionCode: formText(form, 'regionCode'),
    }),
    (body, form) => create.mutate(body, { onSuccess: () => form.reset() }),
  );
  return (
    <form noValidate className="fr-col-12 fr-col-md-8 fr-px-0" onSubmit={onSubmit}>
      {create.isSuccess && (
        <Alert className="fr-mb-3w" severity="success" small role="status" description={`Territoire « ${create.data.name} » créé.`} />
      )}
      <ProblemAlert error={create.error} />
      <Input label="Nom" nativeInputProps={{ name: 'name', required: true }} {...fieldState('name', errors, create.error)} />
      <Input
        label="Identifiant"
        hintText="Minuscules, chiffres et tirets, par exemple : perche-orne"
        nativeInputProps={{ name: 'slug', required: true }}
        {...fieldState('slug', errors, create.error)}
      />
      <Input
        label="Code du département"
        hintText="Par exemple : 61, 2A, 974"
        nativeInputProps={{ name: 'departmentCode', required: true }}
        {...fieldState('departmentCode', errors, create.error)}
      />
      <Input
        label="Code INSEE de la région"
        hintText="Deux chiffres, par exemple : 28 pour la Normandie"
        nativeInputProps={{ name: 'regionCode', required: true, inputMode: 'numeric' }}
        {...fieldState('regionCode', errors, create.error)}
      />
      <Button type="submit" disabled={create.isPending}>
        Créer le territoire
      </Button>
    </form>
  );
}
