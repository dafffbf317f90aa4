import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type PersonView, UpdatePersonBody } from '../../../contracts/people.ts';
import { api } from '../../api/client.ts';
import { fieldState, formText, useValidatedForm } from '../../components/form.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { peopleKeys } from './queries.ts';

const orNull = (value: string) => value.trim() || null;

/** The person's contact details: phone, e-mail, address, preferred language. */
export function ContactsForm({ territoryId, person: p, onDone }: { territoryId: string; person: PersonView; onDone: () => void }) {
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (body: UpdatePersonBody) => api.patch<PersonView>(`/api/territories/${territoryId}/people/${p.id}`, body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: peopleKeys.all(territoryId) });
      onDone();
    },
  });
  const { errors, onSubmit } = useValidatedForm(
    UpdatePersonBody,
    (form) => ({
      phone: orNull(formText(form, 'phone')),
      email: orNull(formText(form, 'email')),
      address: orNull(formText(form, 'address')),
      postcode: orNull(formText(form, 'postcode')),
      commune: orNull(formText(form, 'commune')),
      preferredLanguage: orNull(formText(form, 'preferredLanguage')),
    }),
    (body) => save.mutate(body),
  );
  return (
    <form noValidate aria-label="Modifier les coordonnées" className="fr-col-12 fr-col-md-8 fr-px-0" onSubmit={onSubmit}>
      <ProblemAlert error={save.error} />
      <Input
        label="Téléphone (facultatif)"
        nativeInputProps={{ name: 'phone', type: 'tel', defaultValue: p.phone ?? '', autoComplete: 'off' }}
        {...fieldState('phone', errors, save.error)}
      />
      <Input
        label="Adresse e-mail (facultatif)"
        nativeInputProps={{ name: 'email', type: 'email', defaultValue: p.email ?? '', autoComplete: 'off' }}
        {...fieldState('email', errors, save.error)}
      />
      <Input
        label="Adresse (facultatif)"
        nativeInputProps={{ name: 'address', defaultValue: p.address ?? '', autoComplete: 'off' }}
        {...fieldState('address', errors, save.error)}
      />
      <Input
        label="Code postal (facultatif)"
        nativeInputProps={{ name: 'postcode', defaultValue: p.postcode ?? '', inputMode: 'numeric', autoComplete: 'off' }}
        {...fieldState('postcode', errors, save.error)}
      />
      <Input
        label="Commune (facultatif)"
        nativeInputProps={{ name: 'commune', defaultValue: p.commune ?? '', autoComplete: 'off' }}
        {...fieldState('commune', errors, save.error)}
      />
      <Input
        label="Langue préférée (facultatif)"
        nativeInputProps={{ name: 'preferredLanguage', defaultValue: p.preferredLanguage ?? '', autoComplete: 'off' }}
        {...fieldState('preferredLanguage', errors, save.error)}
      />
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <Button type="submit" disabled={save.isPending}>
            Enregistrer
          </Button>
        </li>
        <li>
          <Button type="button" priority="secondary" onClick={onDone}>
            Annuler
          </Button>
        </li>
      </ul>
    </form>
  );
}
