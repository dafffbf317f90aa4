import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type OrganisationDetails, UpdateOrganisationBody } from '../../../contracts/partners.ts';
import { api } from '../../api/client.ts';
import { fieldState, formText, useValidatedForm } from '../../components/form.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ThemesCheckbox } from '../../components/ThemesCheckbox.tsx';
import { networkKeys } from '../network/queries.ts';
import { partnerKeys } from './queries.ts';

const orNull = (value: string) => value.trim() || null;
const lines = (value: string) =>
  value
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
/** "Libellé | https://…" per line; a line with only an address is its own label. */
const parseLinks = (value: string) =>
  lines(value).map((line) => {
    const [label, url] = line.includes('|') ? line.split('|').map((s) => s.trim()) : [line, line];
    return { label: label ?? '', url: url ?? '' };
  });

export function OrganisationEditForm(props: { territoryId: string; organisation: OrganisationDetails; onDone: () => void }) {
  const { territoryId, organisation: o } = props;
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (body: UpdateOrganisationBody) =>
      api.patch<OrganisationDetails>(`/api/territories/${territoryId}/organisations/${o.id}`, body),
    onSuccess: async (data) => {
      queryClient.setQueryData(partnerKeys.organisation(territoryId, o.id), data);
      await queryClient.invalidateQueries({ queryKey: networkKeys.organisations(territoryId) });
      props.onDone();
    },
  });
  const { errors, onSubmit } = useValidatedForm(
    UpdateOrganisationBody,
    (form) => ({
      name: formText(form, 'name'),
      acronym: formText(form, 'acronym'),
      description: orNull(formText(form, 'description')),
      website: orNull(formText(form, 'website')),
      phone: orNull(formText(form, 'phone')),
      email: orNull(formText(form, 'email')),
      themes: form.getAll('themes').map(String),
      procedures: lines(formText(form, 'procedures')),
      links: parseLinks(formText(form, 'links')),
    }),
    (body) => save.mutate(body),
  );
  const linkError = Object.entries(errors).find(([k]) => k.startsWith('links'))?.[1];
  return (
    <form noValidate className="fr-col-12 fr-col-md-8 fr-px-0" onSubmit={onSubmit}>
      <ProblemAlert error={save.error} />
      <Input
        label="Nom"
        nativeInputProps={{ name: 'name', defaultValue: o.name, required: true }}
        {...fieldState('name', errors, save.error)}
      />
      <Input
        label="Sigle"
        nativeInputProps={{ name: 'acronym', defaultValue: o.acronym, required: true }}
        {...fieldState('acronym', errors, save.error)}
      />
      <Input
        label="Présentation"
        textArea
        nativeTextAreaProps={{ name: 'description', defaultValue: o.description ?? '', rows: 3 }}
        {...fieldState('description', errors, save.error)}
      />
      <Input
        label="Téléphone"
        hintText="Par exemple : 02 33 25 00 00 ou 3230"
        nativeInputProps={{ name: 'phone', type: 'tel', defaultValue: o.phone ?? '', autoComplete: 'off' }}
        {...fieldState('phone', errors, save.error)}
      />
      <Input
        label="Adresse e-mail"
        nativeInputProps={{ name: 'email', type: 'email', defaultValue: o.email ?? '', autoComplete: 'off' }}
        {...fieldState('email', errors, save.error)}
      />
      <Input
        label="Site web"
        hintText="Commençant par https://"
        nativeInputProps={{ name: 'website', type: 'url', defaultValue: o.website ?? '' }}
        {...fieldState('website', errors, save.error)}
      />
      <ThemesCheckbox legend="Thèmes" selected={o.themes} error={errors.themes} />
      <Input
        label="Démarches"
        hintText="Une démarche par ligne, comme les agents la nomment"
        textArea
        nativeTextAreaProps={{ name: 'procedures', defaultValue: o.procedures.join('\n'), rows: 6 }}
        {...fieldState('procedures', errors, save.error)}
      />
      <Input
        label="Services en ligne"
        hintText="Un lien par ligne : Libellé | https://adresse"
        textArea
        nativeTextAreaProps={{ name: 'links', defaultValue: o.links.map((l) => `${l.label} | ${l.url}`).join('\n'), rows: 4 }}
        {...(linkError ? { state: 'error' as const, stateRelatedMessage: `Lien : ${linkError}` } : fieldState('links', errors, save.error))}
      />
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <Button type="submit" disabled={save.isPending}>
            Enregistrer
          </Button>
        </li>
        <li>
          <Button type="button" priority="secondary" onClick={props.onDone}>
            Annuler
          </Button>
        </li>
      </ul>
    </form>
  );
}
