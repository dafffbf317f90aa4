import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import {
  CreatePersonBody,
  type DuplicateCandidate,
  DuplicateReasonLabels,
  type DuplicatesBody,
  type DuplicatesResult,
  type PersonView,
} from '../../../contracts/people.ts';
import { api } from '../../api/client.ts';
import { type FieldErrors, fieldState, formText, validate } from '../../components/form.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSession, useTerritoryId } from '../../session/SessionContext.tsx';
import { dateInputToIso, formatBirthDate, IdentifierInputs, InformedHowOptions, peopleKeys, personName } from './queries.ts';

const orNull = (value: string) => value.trim() || null;

/** A new person file: the minimum, checked against likely duplicates before it is created. */
export function PersonCreatePage() {
  const territoryId = useTerritoryId();
  const { context } = useSession();
  const contactPointId = context.kind === 'membership' ? (context.membership.contactPoint?.id ?? null) : null;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState<CreatePersonBody | null>(null);
  const [duplicates, setDuplicates] = useState<DuplicateCandidate[] | null>(null);
  const warning = useRef<HTMLDivElement>(null);

  const check = useMutation({
    mutationFn: (body: CreatePersonBody) =>
      api.post<DuplicatesResult>(`/api/territories/${territoryId}/people/duplicates`, duplicatesBodyOf(body)),
  });
  const create = useMutation({
    mutationFn: (body: CreatePersonBody) => api.post<PersonView>(`/api/territories/${territoryId}/people`, body),
    onSuccess: async (person) => {
      await queryClient.invalidateQueries({ queryKey: peopleKeys.all(territoryId) });
      void navigate(`/usagers/${person.id}`);
    },
  });
  useEffect(() => {
    if (duplicates?.length) warning.current?.focus();
  }, [duplicates]);

  const read = (form: FormData) => ({
    firstName: formText(form, 'firstName'),
    lastName: formText(form, 'lastName'),
    birthName: orNull(formText(form, 'birthName')),
    birthDate: orNull(formText(form, 'birthDate')),
    phone: orNull(formText(form, 'phone')),
    email: orNull(formText(form, 'email')),
    preferredLanguage: orNull(formText(form, 'preferredLanguage')),
    ...Object.fromEntries(IdentifierInputs.map((f) => [f.field, orNull(formText(form, f.field))])),
    informedAt: dateInputToIso(formText(form, 'informedAt')),
    informedHow: orNull(formText(form, 'informedHow')),
    ...(contactPointId ? { contactPointId } : {}),
  });

  const onSubmit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const checked = validate(CreatePersonBody, read(new FormData(event.currentTarget)));
    setErrors(checked.ok ? {} : checked.errors);
    if (!checked.ok) return;
    setDuplicates(null);
    create.reset();
    const found = (await check.mutateAsync(checked.data).catch(() => null))?.candidates;
    if (!found) return;
    if (found.length === 0) create.mutate(checked.data);
    else {
      setPending(checked.data);
      setDuplicates(found);
    }
  };

  const error = check.error ?? create.error;
  return (
    <>
      <Breadcrumb
        currentPageLabel="Nouvelle fiche"
        homeLinkProps={{ to: '/' }}
        segments={[{ label: 'Usagers', linkProps: { to: '/usagers' } }]}
      />
      <PageTitle>Nouvelle fiche usager</PageTitle>
      <p>
        Le minimum nécessaire pour accompagner la personne. Les champs sont facultatifs sauf le nom et le prénom. Les personnes déjà connues
        sont recherchées avant la création.
      </p>
      <div aria-live="polite">
        {duplicates && duplicates.length > 0 && pending && (
          <div ref={warning} tabIndex={-1} className="fr-mb-4w">
            <Alert
              severity="warning"
              title="Ce pourrait être une personne déjà connue"
              description={
                <>
                  <p>Ce pourrait être…</p>
                  <ul>
                    {duplicates.map((d) => (
                      <li key={d.id}>
                        <Link to={`/usagers/${d.id}`}>{personName(d)}</Link>
                        {d.birthDate ? `, née ou né le ${formatBirthDate(d.birthDate)}` : ''}
                        {d.commune ? `, ${d.commune}` : ''}
                        {d.reasons.length ? ` — ${d.reasons.map((r) => DuplicateReasonLabels[r]).join(', ')}` : ''}
                      </li>
                    ))}
                  </ul>
                  <p>Ouvrez la fiche existante si c’est la même personne. Sinon, créez la nouvelle fiche.</p>
                </>
              }
            />
            <ul className="fr-btns-group fr-btns-group--inline-md fr-mt-2w">
              <li>
                <Button
                  priority="secondary"
                  disabled={create.isPending}
                  onClick={() => create.mutate({ ...pending, confirmNotDuplicate: true })}
                >
                  Créer quand même
                </Button>
              </li>
            </ul>
          </div>
        )}
      </div>
      <ProblemAlert error={error} />
      <form
        noValidate
        aria-label="Nouvelle fiche usager"
        className="fr-col-12 fr-col-md-8 fr-px-0"
        onSubmit={(e) => void onSubmit(e)}
        // A change after the warning: the next « Créer la fiche » checks again (« Créer quand même » would send stale values).
        onChange={() => setDuplicates(null)}
      >
        <fieldset className="fr-fieldset">
          <legend className="fr-fieldset__legend fr-h5">Identité</legend>
          <div className="fr-fieldset__element">
            <Input
              label="Nom"
              nativeInputProps={{ name: 'lastName', required: true, autoComplete: 'off' }}
              {...fieldState('lastName', errors, error)}
            />
            <Input
              label="Prénom"
              nativeInputProps={{ name: 'firstName', required: true, autoComplete: 'off' }}
              {...fieldState('firstName', errors, error)}
            />
            <Input
              label="Nom de naissance (facultatif)"
              hintText="S’il diffère du nom d’usage"
              nativeInputProps={{ name: 'birthName', autoComplete: 'off' }}
              {...fieldState('birthName', errors, error)}
            />
            <Input
              label="Date de naissance (facultatif)"
              nativeInputProps={{ name: 'birthDate', type: 'date' }}
              {...fieldState('birthDate', errors, error)}
            />
          </div>
        </fieldset>
        <fieldset className="fr-fieldset">
          <legend className="fr-fieldset__legend fr-h5">Coordonnées</legend>
          <div className="fr-fieldset__element">
            <Input
              label="Téléphone (facultatif)"
              nativeInputProps={{ name: 'phone', type: 'tel', autoComplete: 'off' }}
              {...fieldState('phone', errors, error)}
            />
            <Input
              label="Adresse e-mail (facultatif)"
              nativeInputProps={{ name: 'email', type: 'email', autoComplete: 'off' }}
              {...fieldState('email', errors, error)}
            />
            <Input
              label="Langue préférée (facultatif)"
              hintText="Par exemple : arabe, anglais, langue des signes"
              nativeInputProps={{ name: 'preferredLanguage', autoComplete: 'off' }}
              {...fieldState('preferredLanguage', errors, error)}
            />
          </div>
        </fieldset>
        <fieldset className="fr-fieldset">
          <legend className="fr-fieldset__legend fr-h5">Identifiants utiles aux démarches (facultatifs)</legend>
          <div className="fr-fieldset__element">
            {IdentifierInputs.map((f) => (
              <Input
                key={f.field}
                label={`${f.label} (facultatif)`}
                hintText={f.hint}
                nativeInputProps={{ name: f.field, autoComplete: 'off', spellCheck: false, inputMode: f.inputMode }}
                {...fieldState(f.field, errors, error)}
              />
            ))}
          </div>
        </fieldset>
        <fieldset className="fr-fieldset">
          <legend className="fr-fieldset__legend fr-h5">Information de la personne</legend>
          <div className="fr-fieldset__element">
            <p className="fr-text--sm">La personne a été informée de ce qui est conservé dans sa fiche et pourquoi.</p>
            <Input
              label="Personne informée le (facultatif)"
              nativeInputProps={{ name: 'informedAt', type: 'date' }}
              {...fieldState('informedAt', errors, error)}
            />
            <Select
              label="Comment (facultatif)"
              nativeSelectProps={{ name: 'informedHow', defaultValue: '' }}
              {...fieldState('informedHow', errors, error)}
            >
              <option value="">Non renseigné</option>
              {InformedHowOptions.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </Select>
          </div>
        </fieldset>
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <Button type="submit" disabled={check.isPending || create.isPending}>
              Créer la fiche
            </Button>
          </li>
          <li>
            <Button priority="secondary" linkProps={{ to: '/usagers' }}>
              Annuler
            </Button>
          </li>
        </ul>
      </form>
    </>
  );
}

/** What the duplicates check looks at: names, birth date, phone and NIR. */
function duplicatesBodyOf(b: CreatePersonBody): DuplicatesBody {
  return { firstName: b.firstName, lastName: b.lastName, birthName: b.birthName, birthDate: b.birthDate, phone: b.phone, nir: b.nir };
}
