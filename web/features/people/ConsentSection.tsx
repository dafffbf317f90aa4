import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  ConsentHowLabels,
  ConsentHows,
  CreateConsentBody,
  InformedHowLabels,
  type PersonConsentView,
  type PersonView,
  UpdatePersonBody,
} from '../../../contracts/people.ts';
import { api } from '../../api/client.ts';
import { fieldState, formText, useValidatedForm } from '../../components/form.ts';
import { formatDate } from '../../components/format.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { useOrganisations } from '../network/queries.ts';
import { dateInputToIso, InformedHowOptions, peopleKeys, todayInput } from './queries.ts';

const howLabel = (labels: Record<string, string>, how: string | null) => (how ? (labels[how] ?? how) : null);

/** What the person was told about their file, and the partners they agreed to share it with. */
export function ConsentSection({ territoryId, person: p }: { territoryId: string; person: PersonView }) {
  const active = p.consents.filter((c) => !c.withdrawnAt);
  const withdrawn = p.consents.filter((c) => c.withdrawnAt);
  return (
    <section className="fr-mt-4w" aria-labelledby="titre-information">
      <h2 id="titre-information" className="fr-h4">
        Information et consentements
      </h2>
      <InformedPart territoryId={territoryId} person={p} />
      <h3 className="fr-h5 fr-mt-3w">Partage avec des partenaires</h3>
      <p className="fr-text--sm">La personne accepte que sa fiche soit partagée avec les partenaires nommés ci-dessous.</p>
      {active.length === 0 ? (
        <p>Aucun accord de partage en cours.</p>
      ) : (
        <ul className="fr-raw-list" aria-label="Accords de partage en cours">
          {active.map((c) => (
            <ConsentItem key={c.id} territoryId={territoryId} personId={p.id} consent={c} />
          ))}
        </ul>
      )}
      {withdrawn.length > 0 && (
        <details className="fr-mt-2w">
          <summary>Accords retirés ({withdrawn.length})</summary>
          <ul>
            {withdrawn.map((c) => (
              <li key={c.id}>
                {c.organisationName} : donné le {formatDate(c.givenAt)}, retiré le {formatDate(c.withdrawnAt)}
              </li>
            ))}
          </ul>
        </details>
      )}
      <AddConsentForm territoryId={territoryId} person={p} />
    </section>
  );
}

function InformedPart({ territoryId, person: p }: { territoryId: string; person: PersonView }) {
  const [editing, setEditing] = useState(false);
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (body: UpdatePersonBody) => api.patch<PersonView>(`/api/territories/${territoryId}/people/${p.id}`, body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: peopleKeys.person(territoryId, p.id) });
      setEditing(false);
    },
  });
  const { errors, onSubmit } = useValidatedForm(
    UpdatePersonBody,
    (form) => ({ informedAt: dateInputToIso(formText(form, 'informedAt')), informedHow: formText(form, 'informedHow') }),
    (body) => save.mutate(body),
  );
  return (
    <>
      {save.isSuccess && !editing && <SuccessAlert>Information de la personne enregistrée.</SuccessAlert>}
      <p aria-live="polite">
        {p.informedAt
          ? `Personne informée le ${formatDate(p.informedAt)}${p.informedHow ? ` (${howLabel(InformedHowLabels, p.informedHow)})` : ''} de ce qui est conservé et pourquoi.`
          : 'L’information de la personne n’est pas encore enregistrée.'}
      </p>
      {editing ? (
        <form
          noValidate
          aria-label="Enregistrer l’information de la personne"
          className="fr-col-12 fr-col-md-6 fr-px-0"
          onSubmit={onSubmit}
        >
          <ProblemAlert error={save.error} />
          <Input
            label="Personne informée le"
            nativeInputProps={{ name: 'informedAt', type: 'date', defaultValue: todayInput(), required: true }}
            {...fieldState('informedAt', errors, save.error)}
          />
          <Select
            label="Comment"
            nativeSelectProps={{ name: 'informedHow', defaultValue: p.informedHow ?? 'oral', required: true }}
            {...fieldState('informedHow', errors, save.error)}
          >
            {InformedHowOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
          <ul className="fr-btns-group fr-btns-group--inline-md">
            <li>
              <Button type="submit" disabled={save.isPending}>
                Enregistrer
              </Button>
            </li>
            <li>
              <Button type="button" priority="secondary" onClick={() => setEditing(false)}>
                Annuler
              </Button>
            </li>
          </ul>
        </form>
      ) : (
        <Button priority="secondary" size="small" onClick={() => setEditing(true)}>
          {p.informedAt ? 'Enregistrer une nouvelle information' : 'Enregistrer l’information'}
        </Button>
      )}
    </>
  );
}

function ConsentItem({ territoryId, personId, consent: c }: { territoryId: string; personId: string; consent: PersonConsentView }) {
  const queryClient = useQueryClient();
  const withdraw = useMutation({
    mutationFn: () => api.delete(`/api/territories/${territoryId}/people/${personId}/consents/${c.id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: peopleKeys.person(territoryId, personId) }),
  });
  return (
    <li className="fr-mb-2w">
      <strong>{c.organisationName}</strong> — {howLabel(ConsentHowLabels, c.how)}, le {formatDate(c.givenAt)}
      <Button
        className="fr-ml-2w"
        priority="tertiary"
        size="small"
        disabled={withdraw.isPending}
        title={`Retirer l’accord de partage avec ${c.organisationName}`}
        onClick={() => {
          if (window.confirm(`La personne retire son accord de partage avec ${c.organisationName} ?`)) withdraw.mutate();
        }}
      >
        Retirer l’accord
      </Button>
      <ProblemAlert error={withdraw.error} />
    </li>
  );
}

function AddConsentForm({ territoryId, person: p }: { territoryId: string; person: PersonView }) {
  const organisations = useOrganisations(territoryId);
  const queryClient = useQueryClient();
  const add = useMutation({
    mutationFn: (body: CreateConsentBody) => api.post(`/api/territories/${territoryId}/people/${p.id}/consents`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: peopleKeys.person(territoryId, p.id) }),
  });
  const { errors, onSubmit } = useValidatedForm(
    CreateConsentBody,
    (form) => ({
      organisationId: formText(form, 'organisationId'),
      how: formText(form, 'how'),
      givenAt: dateInputToIso(formText(form, 'givenAt')) ?? undefined,
    }),
    (body, form) => add.mutate(body, { onSuccess: () => form.reset() }),
  );
  const sharedWith = new Set(p.consents.filter((c) => !c.withdrawnAt).map((c) => c.organisationId));
  const choices = (organisations.data ?? []).filter((o) => !sharedWith.has(o.id));
  return (
    <form noValidate aria-labelledby="titre-ajouter-accord" className="fr-mt-3w fr-col-12 fr-col-md-6 fr-px-0" onSubmit={onSubmit}>
      <h3 id="titre-ajouter-accord" className="fr-h6">
        Ajouter un accord de partage
      </h3>
      {add.isSuccess && <SuccessAlert>Accord de partage enregistré.</SuccessAlert>}
      <ProblemAlert error={add.error ?? organisations.error} />
      <Select
        label="Partenaire"
        nativeSelectProps={{ name: 'organisationId', defaultValue: '', required: true }}
        {...fieldState('organisationId', errors, add.error)}
      >
        <option value="" disabled>
          Choisir un partenaire
        </option>
        {choices.map((o) => (
          <option key={o.id} value={o.id}>
            {o.acronym} — {o.name}
          </option>
        ))}
      </Select>
      <Select
        label="Accord recueilli"
        nativeSelectProps={{ name: 'how', defaultValue: 'oral', required: true }}
        {...fieldState('how', errors, add.error)}
      >
        {ConsentHows.map((h) => (
          <option key={h} value={h}>
            {ConsentHowLabels[h]}
          </option>
        ))}
      </Select>
      <Input
        label="Date de l’accord (facultatif : aujourd’hui)"
        nativeInputProps={{ name: 'givenAt', type: 'date' }}
        {...fieldState('givenAt', errors, add.error)}
      />
      <Button type="submit" disabled={add.isPending}>
        Enregistrer l’accord
      </Button>
    </form>
  );
}
