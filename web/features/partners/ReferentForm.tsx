import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CreateReferentBody, type OrganisationDetails, type ReferentView } from '../../../contracts/partners.ts';
import { api } from '../../api/client.ts';
import { fieldState, formText, useValidatedForm } from '../../components/form.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ThemesCheckbox } from '../../components/ThemesCheckbox.tsx';
import { partnerKeys } from './queries.ts';

const orNull = (value: string) => value.trim() || null;

/** Adds a referent to an organisation, or edits one (`referent` given). */
export function ReferentForm(props: {
  territoryId: string;
  organisation: OrganisationDetails;
  referent?: ReferentView;
  onDone?: () => void;
}) {
  const { territoryId, organisation: o, referent: r } = props;
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (body: CreateReferentBody) =>
      r
        ? api.patch<ReferentView>(`/api/territories/${territoryId}/referents/${r.id}`, body)
        : api.post<ReferentView>(`/api/territories/${territoryId}/organisations/${o.id}/referents`, body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: partnerKeys.organisation(territoryId, o.id) });
      await queryClient.invalidateQueries({ queryKey: partnerKeys.directory(territoryId) });
    },
  });
  const { errors, onSubmit } = useValidatedForm(
    CreateReferentBody,
    (form) => ({
      fullName: formText(form, 'fullName'),
      title: orNull(formText(form, 'title')),
      email: orNull(formText(form, 'email')),
      phone: orNull(formText(form, 'phone')),
      availability: orNull(formText(form, 'availability')),
      themes: form.getAll('themes').map(String),
      active: form.get('active') === 'on',
      userId: orNull(formText(form, 'userId')),
    }),
    (body, form) =>
      save.mutate(body, {
        onSuccess: () => {
          if (!r) form.reset();
          props.onDone?.();
        },
      }),
  );
  const idp = r ? `referent-${r.id}` : `nouveau-referent-${o.id}`;
  return (
    <form
      noValidate
      className="fr-col-12 fr-col-md-8 fr-px-0"
      onSubmit={onSubmit}
      aria-label={r ? `Modifier ${r.fullName}` : 'Ajouter un référent'}
    >
      {!r && save.isSuccess && (
        <Alert className="fr-mb-3w" severity="success" small role="status" description={`Référent « ${save.data.fullName} » ajouté.`} />
      )}
      <ProblemAlert error={save.error} />
      <Input
        label="Nom et prénom"
        nativeInputProps={{ id: `${idp}-nom`, name: 'fullName', defaultValue: r?.fullName ?? '', required: true, autoComplete: 'off' }}
        {...fieldState('fullName', errors, save.error)}
      />
      <Input
        label="Fonction (facultatif)"
        hintText="Par exemple : conseillère, référente France Services"
        nativeInputProps={{ id: `${idp}-fonction`, name: 'title', defaultValue: r?.title ?? '' }}
        {...fieldState('title', errors, save.error)}
      />
      <Input
        label="Adresse e-mail (facultatif)"
        nativeInputProps={{ id: `${idp}-email`, name: 'email', type: 'email', defaultValue: r?.email ?? '', autoComplete: 'off' }}
        {...fieldState('email', errors, save.error)}
      />
      <Input
        label="Téléphone (facultatif)"
        nativeInputProps={{ id: `${idp}-tel`, name: 'phone', type: 'tel', defaultValue: r?.phone ?? '', autoComplete: 'off' }}
        {...fieldState('phone', errors, save.error)}
      />
      <Input
        label="Disponibilité (facultatif)"
        hintText="Quand et comment la joindre : « mardi et jeudi matin, de préférence par e-mail »"
        nativeInputProps={{ id: `${idp}-dispo`, name: 'availability', defaultValue: r?.availability ?? '' }}
        {...fieldState('availability', errors, save.error)}
      />
      <ThemesCheckbox
        legend="Thèmes (facultatif : sinon ceux du partenaire)"
        small
        idPrefix={idp}
        selected={r?.themes ?? []}
        error={errors.themes}
      />
      {o.accounts.length > 0 && (
        <Select
          label="Compte Relais (facultatif)"
          nativeSelectProps={{ id: `${idp}-compte`, name: 'userId', defaultValue: r?.account?.userId ?? '' }}
          {...fieldState('userId', errors, save.error)}
        >
          <option value="">Aucun</option>
          {o.accounts.map((a) => (
            <option key={a.userId} value={a.userId}>
              {a.displayName} ({a.email})
            </option>
          ))}
        </Select>
      )}
      <Checkbox
        // The input's id is react-dsfr's `${id}-0`, which its label points to.
        id={`${idp}-actif`}
        options={[
          {
            label: 'Actif (visible dans l’annuaire des référents)',
            nativeInputProps: { name: 'active', defaultChecked: r?.active ?? true },
          },
        ]}
      />
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <Button type="submit" disabled={save.isPending}>
            {r ? 'Enregistrer' : 'Ajouter le référent'}
          </Button>
        </li>
        {props.onDone && (
          <li>
            <Button type="button" priority="secondary" onClick={props.onDone}>
              Annuler
            </Button>
          </li>
        )}
      </ul>
    </form>
  );
}
