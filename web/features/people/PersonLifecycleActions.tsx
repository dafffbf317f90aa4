import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { createModal } from '@codegouvfr/react-dsfr/Modal/index.js';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { PersonView } from '../../../contracts/people.ts';
import type { EraseResult } from '../../../contracts/people-lifecycle.ts';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { useDebounced } from '../../components/useDebounced.ts';
import { formatBirthDate, peopleKeys, personName, usePeopleSearch } from './queries.ts';

const mergeModal = createModal({ id: 'fusionner-dossier', isOpenedByDefault: false });
const eraseModal = createModal({ id: 'effacer-dossier', isOpenedByDefault: false });
const CONFIRMATION = 'EFFACER';

/** The file's life: merge a duplicate into it; for coordinators, export it (access request) or erase it. */
export function PersonLifecycleActions({ territoryId, person }: { territoryId: string; person: PersonView }) {
  const [merged, setMerged] = useState<string | null>(null);
  return (
    <section className="fr-mt-4w" aria-labelledby="titre-actions-dossier">
      <h2 id="titre-actions-dossier" className="fr-h4">
        Actions sur le dossier
      </h2>
      {merged && <SuccessAlert>Le dossier de {merged} a été fusionné dans celui-ci.</SuccessAlert>}
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
        <li>
          <Button priority="secondary" iconId="fr-icon-git-merge-line" nativeButtonProps={mergeModal.buttonProps}>
            Fusionner avec un autre dossier
          </Button>
        </li>
        {person.canShare && (
          <>
            <li>
              <Link className="fr-btn fr-btn--secondary fr-icon-download-line" to={`/usagers/${person.id}/export`}>
                Exporter le dossier (demande d’accès)
              </Link>
            </li>
            <li>
              <Button priority="tertiary" iconId="fr-icon-delete-line" nativeButtonProps={eraseModal.buttonProps}>
                Effacer le dossier
              </Button>
            </li>
          </>
        )}
      </ul>
      <MergeDialog territoryId={territoryId} person={person} onMerged={setMerged} />
      {person.canShare && <EraseDialog territoryId={territoryId} person={person} />}
    </section>
  );
}

function MergeDialog({ territoryId, person, onMerged }: { territoryId: string; person: PersonView; onMerged: (name: string) => void }) {
  const [input, setInput] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const search = usePeopleSearch(territoryId, useDebounced(input, 300));
  const other = useQuery({
    queryKey: [...peopleKeys.person(territoryId, chosen ?? ''), 'fusion'],
    queryFn: () => api.get<PersonView>(`/api/territories/${territoryId}/people/${chosen}?screen=fusion`),
    enabled: !!chosen,
  });
  const queryClient = useQueryClient();
  const merge = useMutation({
    mutationFn: () => api.post<PersonView>(`/api/territories/${territoryId}/people/${person.id}/merge`, { duplicateId: chosen }),
    onSuccess: async (survivor) => {
      const name = other.data ? personName(other.data) : 'l’autre personne';
      queryClient.setQueryData(peopleKeys.person(territoryId, person.id), survivor);
      await queryClient.invalidateQueries({ queryKey: peopleKeys.all(territoryId) });
      setChosen(null);
      setInput('');
      mergeModal.close();
      onMerged(name);
    },
  });
  const candidates = (search.data?.items ?? []).filter((p) => p.id !== person.id);
  return (
    <mergeModal.Component title="Fusionner avec un autre dossier" size="large">
      <p>
        Cherchez l’autre dossier de la même personne. Ce dossier-ci est gardé : il reprend les accueils, accords, mandats et lieux de
        l’autre, et ses champs vides sont complétés. L’autre dossier est ensuite fermé.
      </p>
      <Input
        label="Rechercher l’autre dossier"
        hintText="Nom, date de naissance, téléphone ou numéro de sécurité sociale"
        nativeInputProps={{ value: input, onChange: (e) => setInput(e.target.value), autoComplete: 'off' }}
      />
      {candidates.length > 0 && (
        <fieldset className="fr-fieldset" aria-label="Dossiers trouvés">
          {candidates.map((c) => (
            <div key={c.id} className="fr-fieldset__element">
              <div className="fr-radio-group">
                <input
                  type="radio"
                  id={`fusion-${c.id}`}
                  name="fusion-candidat"
                  checked={chosen === c.id}
                  onChange={() => setChosen(c.id)}
                />
                <label className="fr-label" htmlFor={`fusion-${c.id}`}>
                  {personName(c)} — {formatBirthDate(c.birthDate)}
                  {c.commune ? ` — ${c.commune}` : ''}
                </label>
              </div>
            </div>
          ))}
        </fieldset>
      )}
      {search.data && candidates.length === 0 && <p>Aucun autre dossier trouvé.</p>}
      {other.data && <Comparison kept={person} other={other.data} />}
      <ProblemAlert error={other.error ?? merge.error} />
      <Button onClick={() => merge.mutate()} disabled={!other.data || merge.isPending}>
        {merge.isPending ? 'Fusion en cours…' : 'Confirmer la fusion'}
      </Button>
    </mergeModal.Component>
  );
}

const rows: [string, (p: PersonView) => string | null][] = [
  ['Nom', (p) => p.lastName],
  ['Prénom', (p) => p.firstName],
  ['Nom de naissance', (p) => p.birthName],
  ['Date de naissance', (p) => (p.birthDate ? formatBirthDate(p.birthDate) : null)],
  ['Téléphone', (p) => p.phone],
  ['Adresse e-mail', (p) => p.email],
  ['Commune', (p) => p.commune],
  ['Numéro de sécurité sociale', (p) => p.identifiers.nir],
  ['Lieux d’accueil', (p) => p.contactPoints.map((c) => c.name).join(', ') || null],
];

/** The two files side by side: what is kept, and what the other file brings to empty fields. */
function Comparison({ kept, other }: { kept: PersonView; other: PersonView }) {
  return (
    <div className="fr-table fr-mt-2w">
      <table>
        <caption>Comparaison des deux dossiers</caption>
        <thead>
          <tr>
            <th scope="col">Champ</th>
            <th scope="col">Ce dossier (gardé)</th>
            <th scope="col">L’autre dossier (fermé)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, value]) => {
            const a = value(kept);
            const b = value(other);
            return (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td>{a || '—'}</td>
                <td>
                  {b || '—'}
                  {!a && b ? ' (repris)' : ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function EraseDialog({ territoryId, person }: { territoryId: string; person: PersonView }) {
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const erase = useMutation({
    mutationFn: () => api.post<EraseResult>(`/api/territories/${territoryId}/people/${person.id}/erase`, { reason }),
    onSuccess: async () => {
      eraseModal.close();
      queryClient.removeQueries({ queryKey: peopleKeys.person(territoryId, person.id) });
      await queryClient.invalidateQueries({ queryKey: peopleKeys.all(territoryId) });
      void navigate('/usagers', { state: { erased: true } });
    },
  });
  const ready = reason.trim().length > 0 && typed.trim().toUpperCase() === CONFIRMATION;
  return (
    <eraseModal.Component title="Effacer le dossier à la demande de la personne">
      <p>
        Toutes les données personnelles de {personName(person)} seront effacées : identité, coordonnées, identifiants, documents de mandat,
        codes SMS, et les valeurs personnelles du journal. Les accueils restent comptés, sans lien avec la personne. Cette action est
        définitive.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) erase.mutate();
        }}
      >
        <Input
          label="Motif de l’effacement"
          hintText="Par exemple : demande écrite de la personne, reçue le … (sans autre donnée personnelle)"
          textArea
          nativeTextAreaProps={{ value: reason, onChange: (e) => setReason(e.target.value), maxLength: 300, required: true }}
        />
        <Input
          label={`Pour confirmer, tapez ${CONFIRMATION}`}
          nativeInputProps={{ value: typed, onChange: (e) => setTyped(e.target.value), autoComplete: 'off', required: true }}
        />
        <ProblemAlert error={erase.error} />
        <Button type="submit" disabled={!ready || erase.isPending}>
          {erase.isPending ? 'Effacement…' : 'Effacer définitivement'}
        </Button>
      </form>
    </eraseModal.Component>
  );
}
